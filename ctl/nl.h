/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one netlink transport of vsdctl: a socket per run, the "vsd" family
 * resolved by name, extended acks on.  Requests and dumps hand each reply's
 * top-level attributes to a callback.
 */
#ifndef VSDCTL_NL_H
#define VSDCTL_NL_H

#include <stdint.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include <linux/vsd.h>

struct vsd_nl {
	struct nl_sock *sk;
	int family;
	char ext_msg[256];	/* the kernel's extended-ack message, if any */
	/* offset in the request of the attribute it blames, or 0 */
	uint32_t ext_off;
};

/* Called for every reply message with its top-level attributes. */
typedef int (*vsd_nl_cb)(struct nlattr **tb, void *arg);

/* 0, or a negative errno: -ENOENT when the module is not loaded. */
int vsd_nl_open(struct vsd_nl *nl);
void vsd_nl_close(struct vsd_nl *nl);

/* A new request for @cmd; NULL on allocation failure. */
struct nl_msg *vsd_nl_msg(struct vsd_nl *nl, uint8_t cmd, int flags);
/* The same, with room for @size bytes (large REPLACE requests). */
struct nl_msg *vsd_nl_msg_size(struct vsd_nl *nl, uint8_t cmd, int flags,
			       size_t size);

/*
 * Send @msg (consumed) and wait for its ack; replies go to @cb when not NULL.
 * With NLM_F_DUMP in the message a dump interrupted by a configuration
 * change returns -EAGAIN; the caller starts over.  Returns 0 or a negative
 * errno, with the kernel's message, if any, in nl->ext_msg (and the offset
 * of the attribute it blames in nl->ext_off).
 */
int vsd_nl_send(struct vsd_nl *nl, struct nl_msg *msg, vsd_nl_cb cb,
		void *arg);

#endif /* VSDCTL_NL_H */
