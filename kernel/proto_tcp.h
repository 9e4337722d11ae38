/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TCP state machine of a connection, IPVS's: the same states, the same
 * transition tables and the same idea of an "active" connection, so that
 * ActiveConn and InActConn mean what they mean with ipvsadm.
 *
 * Pure code: compiled in the module and in the userspace unit tests
 * (tests/unit/test_tcp_state.c, which provides u8 and bool).
 */
#ifndef _VSD_PROTO_TCP_H
#define _VSD_PROTO_TCP_H

#ifdef __KERNEL__
#include <uapi/linux/vsd.h>

#include <linux/types.h>
#endif

/* Bits of the TCP flags byte (byte 13 of the header), as on the wire. */
#define VSD_TCP_FIN	0x01
#define VSD_TCP_SYN	0x02
#define VSD_TCP_RST	0x04
#define VSD_TCP_ACK	0x10

/*
 * Which packets the director sees.  DR and TUN see the client's half only
 * (the server answers the client directly): IPVS's INPUT-ONLY table.  NAT
 * sees both halves: INPUT for the client's packets, OUTPUT for the server's.
 */
enum vsd_tcp_dir {
	VSD_TCP_DIR_INPUT,
	VSD_TCP_DIR_OUTPUT,
	VSD_TCP_DIR_INPUT_ONLY,
	VSD_TCP_DIR_MAX
};

/* The event a packet is, in IPVS's order of precedence: RST, SYN, FIN, ACK. */
enum vsd_tcp_event {
	VSD_TCP_EV_SYN,
	VSD_TCP_EV_FIN,
	VSD_TCP_EV_ACK,
	VSD_TCP_EV_RST,
	VSD_TCP_EV_MAX,
	VSD_TCP_EV_NONE = VSD_TCP_EV_MAX,	/* none of the four flags */
};

static inline enum vsd_tcp_event vsd_tcp_event(u8 flags)
{
	if (flags & VSD_TCP_RST)
		return VSD_TCP_EV_RST;
	if (flags & VSD_TCP_SYN)
		return VSD_TCP_EV_SYN;
	if (flags & VSD_TCP_FIN)
		return VSD_TCP_EV_FIN;
	if (flags & VSD_TCP_ACK)
		return VSD_TCP_EV_ACK;
	return VSD_TCP_EV_NONE;
}

/*
 * The state after a packet with TCP flags @flags in direction @dir.  A
 * packet with none of RST, SYN, FIN and ACK closes the connection, as in
 * IPVS.  States out of range (never stored) also close.
 */
static inline u8 vsd_tcp_next_state(enum vsd_tcp_dir dir, u8 state, u8 flags)
{
#define S_NO VSD_TCP_S_NONE
#define S_ES VSD_TCP_S_ESTABLISHED
#define S_SS VSD_TCP_S_SYN_SENT
#define S_SR VSD_TCP_S_SYN_RECV
#define S_FW VSD_TCP_S_FIN_WAIT
#define S_TW VSD_TCP_S_TIME_WAIT
#define S_CL VSD_TCP_S_CLOSE
#define S_CW VSD_TCP_S_CLOSE_WAIT
#define S_LA VSD_TCP_S_LAST_ACK
#define S_LI VSD_TCP_S_LISTEN
#define S_SA VSD_TCP_S_SYNACK
	static const u8 next[VSD_TCP_DIR_MAX][VSD_TCP_EV_MAX][VSD_TCP_S_LAST] = {
	[VSD_TCP_DIR_INPUT] = {
	/*	   S_NO  S_ES  S_SS  S_SR  S_FW  S_TW  S_CL  S_CW  S_LA  S_LI  S_SA */
	/* syn */ {S_SR, S_ES, S_ES, S_SR, S_SR, S_SR, S_SR, S_SR, S_SR, S_SR, S_SR},
	/* fin */ {S_CL, S_CW, S_SS, S_TW, S_TW, S_TW, S_CL, S_CW, S_LA, S_LI, S_TW},
	/* ack */ {S_ES, S_ES, S_SS, S_ES, S_FW, S_TW, S_CL, S_CW, S_CL, S_LI, S_ES},
	/* rst */ {S_CL, S_CL, S_CL, S_SR, S_CL, S_CL, S_CL, S_CL, S_LA, S_LI, S_SR},
	},
	[VSD_TCP_DIR_OUTPUT] = {
	/*	   S_NO  S_ES  S_SS  S_SR  S_FW  S_TW  S_CL  S_CW  S_LA  S_LI  S_SA */
	/* syn */ {S_SS, S_ES, S_SS, S_SR, S_SS, S_SS, S_SS, S_SS, S_SS, S_LI, S_SR},
	/* fin */ {S_TW, S_FW, S_SS, S_TW, S_FW, S_TW, S_CL, S_TW, S_LA, S_LI, S_TW},
	/* ack */ {S_ES, S_ES, S_SS, S_ES, S_FW, S_TW, S_CL, S_CW, S_LA, S_ES, S_ES},
	/* rst */ {S_CL, S_CL, S_SS, S_CL, S_CL, S_TW, S_CL, S_CL, S_CL, S_CL, S_CL},
	},
	[VSD_TCP_DIR_INPUT_ONLY] = {
	/*	   S_NO  S_ES  S_SS  S_SR  S_FW  S_TW  S_CL  S_CW  S_LA  S_LI  S_SA */
	/* syn */ {S_SR, S_ES, S_ES, S_SR, S_SR, S_SR, S_SR, S_SR, S_SR, S_SR, S_SR},
	/* fin */ {S_CL, S_FW, S_SS, S_TW, S_FW, S_TW, S_CL, S_CW, S_LA, S_LI, S_TW},
	/* ack */ {S_ES, S_ES, S_SS, S_ES, S_FW, S_TW, S_CL, S_CW, S_CL, S_LI, S_ES},
	/* rst */ {S_CL, S_CL, S_CL, S_SR, S_CL, S_CL, S_CL, S_CL, S_LA, S_LI, S_CL},
	},
	};
#undef S_NO
#undef S_ES
#undef S_SS
#undef S_SR
#undef S_FW
#undef S_TW
#undef S_CL
#undef S_CW
#undef S_LA
#undef S_LI
#undef S_SA
	enum vsd_tcp_event ev = vsd_tcp_event(flags);

	if (ev == VSD_TCP_EV_NONE || state >= VSD_TCP_S_LAST ||
	    dir >= VSD_TCP_DIR_MAX)
		return VSD_TCP_S_CLOSE;
	return next[dir][ev][state];
}

/* Counted in ActiveConn (IPVS's table); every other state in InActConn. */
static inline bool vsd_tcp_state_active(u32 state)
{
	switch (state) {
	case VSD_TCP_S_ESTABLISHED:
	case VSD_TCP_S_SYN_SENT:
	case VSD_TCP_S_SYN_RECV:
	case VSD_TCP_S_SYNACK:
		return true;
	default:
		return false;
	}
}

/*
 * May this packet open a connection?  A SYN without ACK, RST or FIN: what a
 * client sends first.  (IPVS also schedules on SYN+ACK, for active FTP,
 * which vsd does not handle.)
 */
static inline bool vsd_tcp_may_start(u8 flags)
{
	return (flags & (VSD_TCP_SYN | VSD_TCP_ACK | VSD_TCP_RST |
			 VSD_TCP_FIN)) == VSD_TCP_SYN;
}

/*
 * A new SYN for the tuple of a connection in this state ends it and is
 * scheduled afresh (the client reused its port): IPVS's conn_reuse_mode 1.
 */
static inline bool vsd_tcp_may_restart(u32 state)
{
	return state == VSD_TCP_S_TIME_WAIT || state == VSD_TCP_S_CLOSE;
}

/*
 * How readily a full table gives up a TCP connection in this state to make
 * room for a new one (the higher, the sooner): not yet established first, a
 * SYN flood's half-open entries; then finished ones (TIME_WAIT, CLOSE), past
 * which nothing more passes and whose tuple a new SYN restarts anyway.
 * Established and closing connections never: they still carry data (a
 * client's FIN may be a half-close, the server still sending).
 */
enum vsd_tcp_evict {
	VSD_TCP_EVICT_NEVER,
	VSD_TCP_EVICT_FINISHED,
	VSD_TCP_EVICT_UNESTABLISHED,
};

static inline enum vsd_tcp_evict vsd_tcp_evict_rank(u32 state)
{
	switch (state) {
	case VSD_TCP_S_NONE:
	case VSD_TCP_S_SYN_SENT:
	case VSD_TCP_S_SYN_RECV:
	case VSD_TCP_S_SYNACK:
		return VSD_TCP_EVICT_UNESTABLISHED;
	default:
		return vsd_tcp_may_restart(state) ? VSD_TCP_EVICT_FINISHED :
						    VSD_TCP_EVICT_NEVER;
	}
}

#endif /* _VSD_PROTO_TCP_H */
