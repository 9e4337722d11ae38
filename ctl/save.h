/* SPDX-License-Identifier: GPL-2.0 */
/*
 * -S: the configuration as ipvsadm-save writes it, lines that -R (ours and
 * ipvsadm's) reads back into the same configuration.
 */
#ifndef VSDCTL_SAVE_H
#define VSDCTL_SAVE_H

#include "model.h"

#include <stdio.h>

void save_rules(FILE *f, struct service **v, size_t n, bool numeric);

#endif /* VSDCTL_SAVE_H */
