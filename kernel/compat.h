/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference vsd depends on lives here; the .c files
 * never test LINUX_VERSION_CODE.  Supported: Linux 6.1 and later.
 */
#ifndef _VSD_COMPAT_H
#define _VSD_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "vsd needs Linux 6.1 or later"
#endif

#endif /* _VSD_COMPAT_H */
