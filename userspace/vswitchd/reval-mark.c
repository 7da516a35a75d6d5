// SPDX-License-Identifier: GPL-2.0
/*
 * Targeted marking (revalidator.h): which megaflow records a change may
 * have affected. A marked record joins the table's marked list, which a
 * targeted pass walks instead of every record. Called with vswd.mutex.
 */
#include "revalidator.h"

#include <string.h>

#include "bridge.h"
#include "ukey.h"
#include "vswitchd.h"

struct mark_aux {
	struct ukey_table *t;
	uint8_t table;
	const struct match *match;
	const uint8_t *mac;
	unsigned int n;
	uint32_t group;
};

static void mark_rule_cb(struct ukey *uk, void *aux_)
{
	struct mark_aux *a = aux_;

	if (!(uk->tables[a->table / 8] & (1u << (a->table % 8))))
		return;
	/* a table that saw rewritten fields: the megaflow's match cannot
	 * rule the change out */
	if (!uk->dirty && (uk->rewritten || match_intersects(&uk->mf, a->match)))
		a->n += ukey_mark(a->t, uk);
}

unsigned int reval_mark_rule(struct bridge *br, uint8_t table,
			     const struct match *match)
{
	struct mark_aux a = { &br->ukeys, table, match, NULL, 0 };

	vswd_assert_locked();
	ukey_foreach_safe(&br->ukeys, mark_rule_cb, &a);
	return a.n;
}

static void mark_all_cb(struct ukey *uk, void *aux_)
{
	struct mark_aux *a = aux_;

	a->n += ukey_mark(a->t, uk);
}

unsigned int reval_mark_all(struct bridge *br)
{
	struct mark_aux a = { &br->ukeys, 0, NULL, NULL, 0 };

	vswd_assert_locked();
	ukey_foreach_safe(&br->ukeys, mark_all_cb, &a);
	reval_kick();
	return a.n;
}

/* The megaflow matches the MAC exactly as its destination (the index
 * guarantees it); whether NORMAL looked the MAC up is the record's. */
static void mark_mac_cb(struct ukey *uk, void *aux_)
{
	struct mark_aux *a = aux_;

	if (uk->consulted_macs)
		a->n += ukey_mark(a->t, uk);
}

unsigned int reval_mark_mac(struct bridge *br, const uint8_t mac[6])
{
	struct mark_aux a = { &br->ukeys, 0, NULL, mac, 0 };

	vswd_assert_locked();
	ukey_foreach_dst_safe(&br->ukeys, mac, mark_mac_cb, &a);
	return a.n;
}

unsigned int reval_mark_normal(struct bridge *br)
{
	struct mark_aux a = { &br->ukeys, 0, NULL, NULL, 0 };

	vswd_assert_locked();
	ukey_foreach_safe(&br->ukeys, mark_mac_cb, &a);
	return a.n;
}

static void mark_group_cb(struct ukey *uk, void *aux_)
{
	struct mark_aux *a = aux_;

	for (size_t i = 0; i < uk->n_group_uses && !uk->dirty; i++)
		if (XLATE_GROUP_USE_ID(uk->group_uses[i]) == a->group)
			a->n += ukey_mark(a->t, uk);
}

unsigned int reval_mark_group(struct bridge *br, uint32_t group)
{
	struct mark_aux a = { &br->ukeys, 0, NULL, NULL, 0, group };

	vswd_assert_locked();
	ukey_foreach_safe(&br->ukeys, mark_group_cb, &a);
	return a.n;
}
