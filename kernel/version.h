/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VSD_VERSION_H
#define _VSD_VERSION_H

#define VSD_VERSION "0.1.0"

#endif /* _VSD_VERSION_H */
