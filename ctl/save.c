// SPDX-License-Identifier: GPL-2.0
/*
 * -S (see save.h): the listing code in its rule format, as ipvsadm does.
 */

#include "save.h"
#include "list.h"

void save_rules(FILE *f, struct service **v, size_t n, bool numeric)
{
	size_t i;

	for (i = 0; i < n; i++)
		list_service(f, v[i], FMT_RULE | (numeric ? FMT_NUMERIC : 0));
}
