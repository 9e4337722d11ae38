/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VSD_HOOK_H
#define _VSD_HOOK_H

struct vsd_net;

/*
 * Under vn->lock: make the namespace's netfilter hooks match a namespace
 * with @num_services services: registered (at vn->settings.hook) when it is
 * non-zero, unregistered otherwise; re-registered at the new place when the
 * hook setting changed.  Callers pass vn->num_services after a change, or
 * the count a change is about to produce (REPLACE registers before it
 * commits, so that the commit itself cannot fail).  Returns 0 or a
 * negative errno (nothing changed then).
 */
int vsd_hooks_sync(struct vsd_net *vn, unsigned int num_services);

/* Namespace teardown: unregister whatever is registered. */
void vsd_hooks_unregister(struct vsd_net *vn);

#endif /* _VSD_HOOK_H */
