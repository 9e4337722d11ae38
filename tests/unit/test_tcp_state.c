// SPDX-License-Identifier: GPL-2.0
/*
 * The TCP state machine (kernel/proto_tcp.h): the states a connection goes
 * through as IPVS has them, and which of them ActiveConn counts.
 */

#include <linux/vsd.h>

#include "kshim.h"
#include "unit.h"
#include "../../kernel/proto_tcp.h"

#define F VSD_TCP_FIN
#define S VSD_TCP_SYN
#define R VSD_TCP_RST
#define A VSD_TCP_ACK
#define PSH 0x08
#define ECE 0x40
#define CWR 0x80

static const char *const names[] = {
	"NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT",
	"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "SYNACK",
};

/* Run @n packets through the table from @state, expecting @want. */
struct step {
	u8 flags;
	u8 want;
	bool active;
};

static void walk(const char *what, enum vsd_tcp_dir dir, u8 state,
		 const struct step *steps, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		u8 next = vsd_tcp_next_state(dir, state, steps[i].flags);

		CHECK(next == steps[i].want, "%s, packet %d (flags %#x): %s -> %s, expected %s",
		      what, i, steps[i].flags, names[state], names[next],
		      names[steps[i].want]);
		CHECK(vsd_tcp_state_active(next) == steps[i].active,
		      "%s, packet %d: %s should be %s", what, i, names[next],
		      steps[i].active ? "active" : "inactive");
		state = next;
	}
}

/* DR: the director sees the client's packets only. */
static void dr_lifecycle(void)
{
	static const struct step close_by_client[] = {
		{ S, VSD_TCP_S_SYN_RECV, true },	/* SYN */
		{ S, VSD_TCP_S_SYN_RECV, true },	/* retransmitted */
		{ A, VSD_TCP_S_ESTABLISHED, true },	/* handshake done */
		{ A | PSH, VSD_TCP_S_ESTABLISHED, true },	/* data */
		{ F | A, VSD_TCP_S_FIN_WAIT, false },	/* client closes */
		{ A, VSD_TCP_S_FIN_WAIT, false },	/* acks server's FIN */
	};
	static const struct step reset[] = {
		{ S, VSD_TCP_S_SYN_RECV, true },
		{ A, VSD_TCP_S_ESTABLISHED, true },
		{ R | A, VSD_TCP_S_CLOSE, false },
		{ A, VSD_TCP_S_CLOSE, false },		/* stays closed */
	};
	static const struct step reset_in_handshake[] = {
		{ S, VSD_TCP_S_SYN_RECV, true },
		{ R, VSD_TCP_S_SYN_RECV, true },	/* IPVS keeps SYN_RECV */
	};

	walk("client closes", VSD_TCP_DIR_INPUT_ONLY, VSD_TCP_S_NONE,
	     close_by_client, ARRAY_SIZE(close_by_client));
	walk("client resets", VSD_TCP_DIR_INPUT_ONLY, VSD_TCP_S_NONE, reset,
	     ARRAY_SIZE(reset));
	walk("reset in the handshake", VSD_TCP_DIR_INPUT_ONLY, VSD_TCP_S_NONE,
	     reset_in_handshake, ARRAY_SIZE(reset_in_handshake));
}

/*
 * The one difference between INPUT-ONLY and INPUT: a client's FIN on an
 * established connection.  Seeing both halves (NAT), that is the server
 * about to close (CLOSE_WAIT); seeing one (DR), the client closing.
 */
static void input_only_vs_input(void)
{
	int st, ev, diffs = 0;
	static const u8 evflags[] = { S, F, A, R };

	for (ev = 0; ev < 4; ev++)
		for (st = 0; st < VSD_TCP_S_LAST; st++)
			diffs += vsd_tcp_next_state(VSD_TCP_DIR_INPUT, st,
						    evflags[ev]) !=
				 vsd_tcp_next_state(VSD_TCP_DIR_INPUT_ONLY, st,
						    evflags[ev]);
	CHECK(diffs == 3, "%d differences, IPVS's tables have 3", diffs);
	CHECK(vsd_tcp_next_state(VSD_TCP_DIR_INPUT, VSD_TCP_S_ESTABLISHED, F) ==
	      VSD_TCP_S_CLOSE_WAIT, "NAT: client FIN");
	CHECK(vsd_tcp_next_state(VSD_TCP_DIR_INPUT_ONLY, VSD_TCP_S_ESTABLISHED,
				 F) == VSD_TCP_S_FIN_WAIT, "DR: client FIN");
	CHECK(vsd_tcp_next_state(VSD_TCP_DIR_INPUT_ONLY, VSD_TCP_S_FIN_WAIT, F) ==
	      VSD_TCP_S_FIN_WAIT, "DR: client FIN again");
	CHECK(vsd_tcp_next_state(VSD_TCP_DIR_INPUT_ONLY, VSD_TCP_S_SYNACK, R) ==
	      VSD_TCP_S_CLOSE, "DR: RST in SYNACK");
}

/* NAT, both halves: the server's packets drive the OUTPUT table. */
static void nat_lifecycle(void)
{
	u8 s = VSD_TCP_S_NONE;

	s = vsd_tcp_next_state(VSD_TCP_DIR_INPUT, s, S);
	CHECK(s == VSD_TCP_S_SYN_RECV, "client SYN: %s", names[s]);
	s = vsd_tcp_next_state(VSD_TCP_DIR_OUTPUT, s, S | A);
	CHECK(s == VSD_TCP_S_SYN_RECV, "server SYN+ACK: %s", names[s]);
	s = vsd_tcp_next_state(VSD_TCP_DIR_INPUT, s, A);
	CHECK(s == VSD_TCP_S_ESTABLISHED, "client ACK: %s", names[s]);
	s = vsd_tcp_next_state(VSD_TCP_DIR_OUTPUT, s, F | A);
	CHECK(s == VSD_TCP_S_FIN_WAIT, "server FIN: %s", names[s]);
	s = vsd_tcp_next_state(VSD_TCP_DIR_INPUT, s, F | A);
	CHECK(s == VSD_TCP_S_TIME_WAIT, "client FIN: %s", names[s]);
	CHECK(!vsd_tcp_state_active(s), "TIME_WAIT is inactive");
}

/* RST beats SYN beats FIN beats ACK; a packet with none of them closes. */
static void precedence(void)
{
	CHECK(vsd_tcp_event(S | R) == VSD_TCP_EV_RST, "RST over SYN");
	CHECK(vsd_tcp_event(S | F) == VSD_TCP_EV_SYN, "SYN over FIN");
	CHECK(vsd_tcp_event(F | A) == VSD_TCP_EV_FIN, "FIN over ACK");
	CHECK(vsd_tcp_event(A | PSH) == VSD_TCP_EV_ACK, "ACK");
	CHECK(vsd_tcp_event(PSH) == VSD_TCP_EV_NONE, "no flag");
	CHECK(vsd_tcp_next_state(VSD_TCP_DIR_INPUT_ONLY, VSD_TCP_S_ESTABLISHED,
				 PSH) == VSD_TCP_S_CLOSE,
	      "a packet without RST, SYN, FIN or ACK closes");
	CHECK(vsd_tcp_next_state(VSD_TCP_DIR_INPUT_ONLY, 200, A) ==
	      VSD_TCP_S_CLOSE, "out-of-range state");
}

/* ActiveConn: ESTABLISHED, SYN_SENT, SYN_RECV, SYNACK; nothing else. */
static void active_states(void)
{
	int st, n = 0;

	for (st = 0; st < 256; st++)
		n += vsd_tcp_state_active(st);
	CHECK(n == 4, "%d active states", n);
	CHECK(vsd_tcp_state_active(VSD_TCP_S_ESTABLISHED) &&
	      vsd_tcp_state_active(VSD_TCP_S_SYN_SENT) &&
	      vsd_tcp_state_active(VSD_TCP_S_SYN_RECV) &&
	      vsd_tcp_state_active(VSD_TCP_S_SYNACK), "the four");
	CHECK(!vsd_tcp_state_active(VSD_CONN_S_UDP), "UDP is inactive");
}

/* Every entry of every table is a state. */
static void tables_closed(void)
{
	int dir, st, f, bad = 0;

	for (dir = 0; dir < VSD_TCP_DIR_MAX; dir++)
		for (st = 0; st < VSD_TCP_S_LAST; st++)
			for (f = 0; f < 256; f++)
				bad += vsd_tcp_next_state(dir, st, f) >=
				       VSD_TCP_S_LAST;
	CHECK(!bad, "%d transitions out of range", bad);
}

/* Who may open a connection, restart one, be evicted. */
static void predicates(void)
{
	CHECK(vsd_tcp_may_start(S), "SYN");
	CHECK(vsd_tcp_may_start(S | ECE | CWR), "ECN-setup SYN");
	CHECK(vsd_tcp_may_start(S | PSH), "SYN with PSH");
	CHECK(!vsd_tcp_may_start(S | A), "SYN+ACK");
	CHECK(!vsd_tcp_may_start(S | R), "SYN+RST");
	CHECK(!vsd_tcp_may_start(S | F), "SYN+FIN");
	CHECK(!vsd_tcp_may_start(A), "ACK");
	CHECK(!vsd_tcp_may_start(0), "nothing");

	CHECK(vsd_tcp_may_restart(VSD_TCP_S_TIME_WAIT), "TIME_WAIT");
	CHECK(vsd_tcp_may_restart(VSD_TCP_S_CLOSE), "CLOSE");
	CHECK(!vsd_tcp_may_restart(VSD_TCP_S_FIN_WAIT),
	      "FIN_WAIT is not (conn_reuse_mode 1)");
	CHECK(!vsd_tcp_may_restart(VSD_TCP_S_ESTABLISHED), "ESTABLISHED");

	CHECK(vsd_tcp_evict_rank(VSD_TCP_S_NONE) == VSD_TCP_EVICT_UNESTABLISHED &&
	      vsd_tcp_evict_rank(VSD_TCP_S_SYN_RECV) == VSD_TCP_EVICT_UNESTABLISHED &&
	      vsd_tcp_evict_rank(VSD_TCP_S_SYN_SENT) == VSD_TCP_EVICT_UNESTABLISHED &&
	      vsd_tcp_evict_rank(VSD_TCP_S_SYNACK) == VSD_TCP_EVICT_UNESTABLISHED,
	      "handshake states are evicted first");
	CHECK(vsd_tcp_evict_rank(VSD_TCP_S_TIME_WAIT) == VSD_TCP_EVICT_FINISHED &&
	      vsd_tcp_evict_rank(VSD_TCP_S_CLOSE) == VSD_TCP_EVICT_FINISHED,
	      "finished connections next");
	CHECK(VSD_TCP_EVICT_UNESTABLISHED > VSD_TCP_EVICT_FINISHED &&
	      VSD_TCP_EVICT_FINISHED > VSD_TCP_EVICT_NEVER, "ranks ordered");
	CHECK(vsd_tcp_evict_rank(VSD_TCP_S_ESTABLISHED) == VSD_TCP_EVICT_NEVER &&
	      vsd_tcp_evict_rank(VSD_TCP_S_FIN_WAIT) == VSD_TCP_EVICT_NEVER &&
	      vsd_tcp_evict_rank(VSD_TCP_S_CLOSE_WAIT) == VSD_TCP_EVICT_NEVER &&
	      vsd_tcp_evict_rank(VSD_TCP_S_LAST_ACK) == VSD_TCP_EVICT_NEVER &&
	      vsd_tcp_evict_rank(VSD_TCP_S_LISTEN) == VSD_TCP_EVICT_NEVER,
	      "established and closing connections are never evicted");
	CHECK(vsd_tcp_evict_rank(VSD_TCP_S_LAST) == VSD_TCP_EVICT_NEVER,
	      "out of range: never");
}

int main(void)
{
	RUN(dr_lifecycle);
	RUN(input_only_vs_input);
	RUN(nat_lifecycle);
	RUN(precedence);
	RUN(active_states);
	RUN(tables_closed);
	RUN(predicates);
	return UNIT_DONE();
}
