// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink transport for vsdctl (see nl.h).
 */

#include "nl.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Big enough for a whole configuration in one REPLACE request. */
#define VSD_NL_BUFSIZE (64 << 20)

struct req_ctx {
	struct vsd_nl *nl;
	vsd_nl_cb cb;
	void *arg;
	int err;
	int done;
	int intr;
};

int vsd_nl_open(struct vsd_nl *nl)
{
	int one = 1, ret;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return -ENOMEM;
	ret = genl_connect(nl->sk);
	if (ret < 0) {
		ret = -EPROTONOSUPPORT;
		goto err;
	}
	/* Extended acks, without the request echoed back in errors. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	/* Large requests need a large send buffer; FORCE works as admin. */
	nl_socket_set_buffer_size(nl->sk, 1 << 20, 1 << 20);
	setsockopt(nl_socket_get_fd(nl->sk), SOL_SOCKET, SO_SNDBUFFORCE,
		   &(int){ VSD_NL_BUFSIZE }, sizeof(int));
	nl_socket_set_msg_buf_size(nl->sk, 1 << 16);

	nl->family = genl_ctrl_resolve(nl->sk, VSD_GENL_NAME);
	if (nl->family < 0) {
		ret = -ENOENT;
		goto err;
	}
	return 0;
err:
	nl_socket_free(nl->sk);
	nl->sk = NULL;
	return ret;
}

void vsd_nl_close(struct vsd_nl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}

struct nl_msg *vsd_nl_msg(struct vsd_nl *nl, uint8_t cmd, int flags)
{
	return vsd_nl_msg_size(nl, cmd, flags, 0);
}

struct nl_msg *vsd_nl_msg_size(struct vsd_nl *nl, uint8_t cmd, int flags,
			       size_t size)
{
	struct nl_msg *msg;

	msg = size ? nlmsg_alloc_size(size) : nlmsg_alloc();
	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 flags, cmd, VSD_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* Pull NLMSGERR_ATTR_MSG out of an error message's trailing TLVs. */
static void parse_ext_ack(struct vsd_nl *nl, struct nlmsghdr *hdr,
			  struct nlmsgerr *err)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	unsigned int off = sizeof(*err);
	struct nlattr *attrs;
	int len;

	nl->ext_msg[0] = '\0';
	nl->ext_off = 0;
	if (!(hdr->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(hdr->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - sizeof(err->msg);
	len = (int)hdr->nlmsg_len - NLMSG_HDRLEN - (int)off;
	if (len <= 0)
		return;
	attrs = (struct nlattr *)((char *)err + off);
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, attrs, len, NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(nl->ext_msg, tb[NLMSGERR_ATTR_MSG],
			    sizeof(nl->ext_msg));
	if (tb[NLMSGERR_ATTR_OFFS])
		nl->ext_off = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *err, void *arg)
{
	struct nlmsghdr *hdr = (struct nlmsghdr *)((char *)err - NLMSG_HDRLEN);
	struct req_ctx *ctx = arg;

	(void)who;
	parse_ext_ack(ctx->nl, hdr, err);
	ctx->err = err->error;
	ctx->done = 1;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct req_ctx *ctx = arg;

	(void)msg;
	ctx->done = 1;
	return NL_STOP;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct req_ctx *ctx = arg;

	if (hdr->nlmsg_flags & NLM_F_DUMP_INTR)
		ctx->intr = 1;
	/* NLMSG_DONE may carry an error (and an extack) of the dump. */
	if (hdr->nlmsg_len >= NLMSG_HDRLEN + sizeof(int)) {
		int e = *(int *)nlmsg_data(hdr);

		if (e < 0)
			ctx->err = e;
	}
	ctx->done = 1;
	return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct nlattr *tb[VSD_A_MAX + 1];
	struct req_ctx *ctx = arg;
	int ret;

	if (hdr->nlmsg_flags & NLM_F_DUMP_INTR)
		ctx->intr = 1;
	if (!ctx->cb || ctx->err)
		return NL_OK;
	ret = genlmsg_parse(hdr, 0, tb, VSD_A_MAX, NULL);
	if (ret < 0) {
		ctx->err = -EBADMSG;
		return NL_OK;
	}
	ret = ctx->cb(tb, ctx->arg);
	if (ret < 0)
		ctx->err = ret;
	return NL_OK;
}

int vsd_nl_send(struct vsd_nl *nl, struct nl_msg *msg, vsd_nl_cb cb,
		void *arg)
{
	struct req_ctx ctx = { .nl = nl, .cb = cb, .arg = arg };
	struct nl_cb *nlcb;
	int ret;

	nl->ext_msg[0] = '\0';
	nl->ext_off = 0;
	nlcb = nl_cb_alloc(NL_CB_CUSTOM);
	if (!nlcb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_err(nlcb, NL_CB_CUSTOM, on_error, &ctx);
	nl_cb_set(nlcb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &ctx);
	nl_cb_set(nlcb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &ctx);
	nl_cb_set(nlcb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &ctx);

	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK;
	ret = nl_send_auto(nl->sk, msg);
	if (ret < 0) {
		/* libnl folds sendmsg's errno into NLE_FAILURE at times. */
		ret = ret == -NLE_MSGSIZE || errno == EMSGSIZE ? -EMSGSIZE :
		      -EIO;
		nlmsg_free(msg);
		goto out;
	}
	nlmsg_free(msg);
	ret = 0;
	while (!ctx.done) {
		int r = nl_recvmsgs(nl->sk, nlcb);

		if (r < 0 && !ctx.done) {
			ret = r == -NLE_PERM ? -EPERM : -EIO;
			break;
		}
	}
	if (!ret)
		ret = ctx.err;
	if (!ret && ctx.intr)
		ret = -EAGAIN;
out:
	nl_cb_put(nlcb);
	return ret;
}
