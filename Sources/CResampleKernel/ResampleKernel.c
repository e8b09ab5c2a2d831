#include "ResampleKernel.h"

#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

// Each lane's sums must be exactly what a scalar loop computes: no
// contraction of a * b + c into a fused multiply-add on either path.
#pragma clang fp contract(off)

// The helpers below pass 256-bit vectors by value, which would change the
// calling convention between AVX and baseline code; they are all static
// and always inlined into the two entry points, whose only argument is a
// pointer, so no such call exists in the binary.
#pragma clang diagnostic ignored "-Wpsabi"

typedef double lanes_t __attribute__((vector_size(EG_LANES * sizeof(double))));
typedef uint8_t count_lanes_t __attribute__((vector_size(EG_LANES)));
typedef int64_t mask_t __attribute__((vector_size(EG_LANES * sizeof(int64_t))));

static inline __attribute__((always_inline)) lanes_t load(const double *p) {
    lanes_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline __attribute__((always_inline)) void store(double *p, lanes_t v) { memcpy(p, &v, sizeof v); }

static inline __attribute__((always_inline)) void add_to(double *p, lanes_t v) { store(p, load(p) + v); }

/// x / y, or x / 1 in the lanes where y is 0 (no weight predicted yet).
static inline __attribute__((always_inline)) lanes_t ratio(lanes_t x, lanes_t y) {
    lanes_t one = {1, 1, 1, 1};
    mask_t empty = y == 0;
    return x / (lanes_t)(((mask_t)one & empty) | ((mask_t)y & ~empty));
}

/// Closes a slice's tie group: its recall step (unnormalised) times the
/// precision through it joins the average precision, and the positives
/// before the next group are the positives through this one. A zero step
/// adds +0, which changes no sum, so it is skipped, and closing a group
/// twice adds nothing the second time.
static inline __attribute__((always_inline)) void close_group(double *sums) {
    lanes_t positives = load(sums + EG_POSITIVES * EG_LANES);
    lanes_t step = positives - load(sums + EG_POSITIVES_BEFORE_GROUP * EG_LANES);
    mask_t any = step != 0;
    if (!(any[0] | any[1] | any[2] | any[3])) return;
    lanes_t predicted = positives + load(sums + EG_NEGATIVES * EG_LANES);
    add_to(sums + EG_AVERAGE_PRECISION * EG_LANES, step * ratio(positives, predicted));
    store(sums + EG_POSITIVES_BEFORE_GROUP * EG_LANES, positives);
}

/// What one drawn row adds, computed once for all of its slices.
typedef struct {
    lanes_t w, pw, nw, flip, log_loss, brier, weighted_score;
    double s;
    const uint16_t *slots;
    int64_t bin_offset;
    bool is_positive;
} prepared_row;

static inline __attribute__((always_inline)) void prepare(const eg_resample_pass *p, int64_t d, prepared_row *r) {
    int64_t k = p->visits[d];
    int64_t i = p->positions[k];
    count_lanes_t c;
    memcpy(&c, p->counts + d * EG_LANES, sizeof c);
    lanes_t w = p->weight[i] * __builtin_convertvector(c, lanes_t);
    lanes_t zero = {0, 0, 0, 0};
    bool is_positive = p->positive[i];
    r->is_positive = is_positive;
    r->w = w;
    r->pw = is_positive ? w : zero;
    r->nw = w - r->pw;
    r->flip = p->flipped && p->flipped[i] ? w : zero;
    double s = p->score[i];
    r->s = s;
    r->slots = p->slots + k * p->width;
    r->log_loss = r->brier = r->weighted_score = zero;
    r->bin_offset = 0;
    if (p->calibration) {
        double y = is_positive ? 1 : 0;
        r->log_loss = w * p->log_term[i];
        r->brier = w * ((s - y) * (s - y));
        r->weighted_score = w * s;
        r->bin_offset = (int64_t)p->bin[i] * EG_CALIBRATION_PER_BIN;
    }
}

/// The sums that do not depend on rank order: flips, log loss, Brier and
/// the calibration bins.
static inline __attribute__((always_inline)) void add_sums(
    const eg_resample_pass *p, const prepared_row *r, int64_t slot, double *sums
) {
    if (p->flipped) add_to(sums + EG_FLIP * EG_LANES, r->flip);
    if (p->calibration) {
        add_to(sums + EG_LOG_LOSS * EG_LANES, r->log_loss);
        add_to(sums + EG_BRIER * EG_LANES, r->brier);
        double *cell = p->calibration + (slot * EG_CALIBRATION_PER_SLICE + r->bin_offset) * EG_LANES;
        add_to(cell, r->w);
        add_to(cell + EG_LANES, r->pw);
        add_to(cell + 2 * EG_LANES, r->weighted_score);
    }
}

/// The rank-order sums of a row with `before` positives ahead of it in the
/// slice, `before_group` of them ahead of its tie group: a negative counts
/// the positives before its group and those through it (positives come
/// first in a group), the mean of the two being the ties-count-one-half
/// rule of roc_auc_score. Sets the positives and negatives through it.
static inline __attribute__((always_inline)) void add_ranked(
    double *sums, const prepared_row *r, lanes_t before, lanes_t before_group, lanes_t *positives, lanes_t *negatives
) {
    *positives = before + r->pw;
    store(sums + EG_POSITIVES * EG_LANES, *positives);
    *negatives = load(sums + EG_NEGATIVES * EG_LANES) + r->nw;
    store(sums + EG_NEGATIVES * EG_LANES, *negatives);
    add_to(sums + EG_TWICE_AUC * EG_LANES, r->nw * (before_group + *positives));
}

/// A row whose score no other drawn row has: in each of its slices it is a
/// tie group of its own, so the positives before its group are the
/// positives before it, and the group closes with it (the precision
/// through it times its positive weight, for a positive; nothing for a
/// negative). Nothing per slice records the group: no later row can share
/// its score, and every other group is closed where it ends.
static inline __attribute__((always_inline)) void add_alone(
    const eg_resample_pass *p, const prepared_row *r, int64_t slot
) {
    double *sums = p->sums + slot * EG_FIELDS * EG_LANES;
    lanes_t before = load(sums + EG_POSITIVES * EG_LANES), positives, negatives;
    add_ranked(sums, r, before, before, &positives, &negatives);
    if (p->average_precision && r->is_positive) {
        lanes_t step = positives - before;
        add_to(sums + EG_AVERAGE_PRECISION * EG_LANES, step * ratio(positives, positives + negatives));
    }
    add_sums(p, r, slot, sums);
}

/// A row of a tie group: the first of the group in a slice notes the
/// positives before the group.
static inline __attribute__((always_inline)) void add_tied(
    const eg_resample_pass *p, const prepared_row *r, int64_t slot
) {
    double *sums = p->sums + slot * EG_FIELDS * EG_LANES;
    lanes_t before = load(sums + EG_POSITIVES * EG_LANES), positives, negatives;
    if (r->s != p->previous[slot]) {
        p->previous[slot] = r->s;
        store(sums + EG_POSITIVES_BEFORE_GROUP * EG_LANES, before);
    }
    add_ranked(sums, r, before, load(sums + EG_POSITIVES_BEFORE_GROUP * EG_LANES), &positives, &negatives);
    add_sums(p, r, slot, sums);
}

/// Drawn rows `from ..< to` in rank order, each added to all of its
/// slices. A tie group is closed in every slice of its members when its
/// last drawn member has been added, so every group of every slice is
/// closed before the next group's first row (where a row-by-row loop closes
/// it) and the average precision adds the same terms in the same order.
/// (Adding blocks of 64 rows pass by pass, to keep one pass's sums in the
/// L1 cache, was slower on the realistic benchmark gate: 2.19-2.39 s
/// against 1.79 s for 100 resamples.)
static inline __attribute__((always_inline)) void add_rows(const eg_resample_pass *p, int64_t from, int64_t to) {
    prepared_row row;
    int64_t group_start = from;
    double previous_score = 0;  // read only from the second row on
    for (int64_t d = from; d < to; d++) {
        prepare(p, d, &row);
        bool first = d == from || previous_score != row.s;
        bool last = d + 1 == to || p->score[p->positions[p->visits[d + 1]]] != row.s;
        previous_score = row.s;
        if (first) group_start = d;
        if (first && last) {
            for (int64_t j = 0; j < p->width; j++) add_alone(p, &row, row.slots[j]);
            continue;
        }
        for (int64_t j = 0; j < p->width; j++) add_tied(p, &row, row.slots[j]);
        if (last && p->average_precision) {
            for (int64_t member = group_start; member <= d; member++) {
                const uint16_t *slots = p->slots + (int64_t)p->visits[member] * p->width;
                for (int64_t j = 0; j < p->width; j++) close_group(p->sums + slots[j] * EG_FIELDS * EG_LANES);
            }
        }
    }
}

/// The predicted positives first (positions below the cut), then every
/// slice's threshold counts are taken, then the rest. A tie group never
/// straddles the cut (the cut is a score).
static inline __attribute__((always_inline)) void add_pass(const eg_resample_pass *p) {
    int64_t predicted = 0;
    while (predicted < p->drawn && p->positions[p->visits[predicted]] < p->cut) predicted++;
    add_rows(p, 0, predicted);
    for (int64_t slot = 0; slot < p->total; slot++) {
        const double *sums = p->sums + slot * EG_FIELDS * EG_LANES;
        double *counts = p->predicted + slot * 2 * EG_LANES;
        store(counts + EG_TRUE_POSITIVES * EG_LANES, load(sums + EG_POSITIVES * EG_LANES));
        store(counts + EG_FALSE_POSITIVES * EG_LANES, load(sums + EG_NEGATIVES * EG_LANES));
    }
    add_rows(p, predicted, p->drawn);
}

void eg_resample_add_baseline(const eg_resample_pass *pass) { add_pass(pass); }

#if defined(__x86_64__)

__attribute__((target("avx2"))) void eg_resample_add_avx2(const eg_resample_pass *pass) { add_pass(pass); }

bool eg_cpu_has_avx2(void) {
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
    bool osxsave = (ecx >> 27) & 1, avx = (ecx >> 28) & 1;
    if (!osxsave || !avx) return false;
    unsigned xcr0_low, xcr0_high;
    __asm__ volatile("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    if ((xcr0_low & 0x6) != 0x6) return false;  // XMM and YMM state saved by the OS
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return false;
    return (ebx >> 5) & 1;
}

#else

void eg_resample_add_avx2(const eg_resample_pass *pass) { add_pass(pass); }

bool eg_cpu_has_avx2(void) { return false; }

#endif
