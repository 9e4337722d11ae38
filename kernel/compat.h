/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference vsd depends on lives here; the .c files
 * never test LINUX_VERSION_CODE.  Supported: Linux 6.1 and later.
 */
#ifndef _VSD_COMPAT_H
#define _VSD_COMPAT_H

#include <linux/version.h>
#include <net/genetlink.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "vsd needs Linux 6.1 or later"
#endif

/* The attributes a dump request carried (6.2 moved them into .info). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define vsd_dump_attrs(cb) (genl_dumpit_info(cb)->attrs)
#else
#define vsd_dump_attrs(cb) (genl_dumpit_info(cb)->info.attrs)
#endif

#endif /* _VSD_COMPAT_H */
