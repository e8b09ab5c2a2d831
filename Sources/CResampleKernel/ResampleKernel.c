#include "ResampleKernel.h"

#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

// Each lane's sums must be exactly what a scalar loop computes: no
// contraction of a * b + c into a fused multiply-add on either path.
#pragma clang fp contract(off)

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

/// The last tie group's recall step (unnormalised) times the precision
/// through it, added to the average precision when any lane has one: a
/// zero step adds +0, which changes no sum, so skipping it is exact. After
/// a group is closed early its step is 0 (positives before the group are
/// set to the positives through it), so closing it again adds nothing.
static inline __attribute__((always_inline)) void close_group(double *sums) {
    lanes_t positives = load(sums + EG_POSITIVES * EG_LANES);
    lanes_t step = positives - load(sums + EG_POSITIVES_BEFORE_GROUP * EG_LANES);
    mask_t any = step != 0;
    if (!(any[0] | any[1] | any[2] | any[3])) return;
    lanes_t predicted = positives + load(sums + EG_NEGATIVES * EG_LANES);
    lanes_t one = {1, 1, 1, 1};
    mask_t empty = predicted == 0;  // all bits set where no weight is predicted yet: divide by 1
    lanes_t divisor = (lanes_t)(((mask_t)one & empty) | ((mask_t)predicted & ~empty));
    add_to(sums + EG_AVERAGE_PRECISION * EG_LANES, step * (positives / divisor));
}

/// What one drawn row adds, computed once for all of its slices.
typedef struct {
    lanes_t w, pw, nw, flip, log_loss, brier, weighted_score;
    double s;
    const uint16_t *slots;
    int64_t bin_offset;
    bool close_now;
} prepared_row;

/// A group's average-precision term is added when the next group starts in
/// the slice, or at once when the row is the last of its tie group in the
/// whole ranking (then the slice's group is complete): that decision is the
/// row's, the same for all of its slices, so the branch is predictable
/// where "did this slice's last row have a positive" is not. A lone
/// negative score closes a group with no step.
static inline __attribute__((always_inline)) void prepare(const eg_resample_pass *p, int64_t d, prepared_row *r) {
    int64_t k = p->visits[d];
    int64_t i = p->positions[k];
    count_lanes_t c;
    memcpy(&c, p->counts + d * EG_LANES, sizeof c);
    lanes_t w = p->weight[i] * __builtin_convertvector(c, lanes_t);
    lanes_t zero = {0, 0, 0, 0};
    bool is_positive = p->positive[i];
    uint8_t edge = p->edges[k];
    r->close_now = p->average_precision && (edge & 1) && !(edge == 3 && !is_positive);
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

/// One drawn row added to one of its slices: a negative counts the
/// positives above its tie group and those through it (positives come
/// first in a group), the mean of the two being the ties-count-one-half
/// rule of roc_auc_score.
static inline __attribute__((always_inline)) void add_to_slot(
    const eg_resample_pass *p, const prepared_row *r, int64_t slot
) {
    double *sums = p->sums + slot * EG_FIELDS * EG_LANES;
    if (r->s != p->previous[slot]) {
        if (p->average_precision) close_group(sums);
        store(sums + EG_POSITIVES_BEFORE_GROUP * EG_LANES, load(sums + EG_POSITIVES * EG_LANES));
    }
    p->previous[slot] = r->s;
    lanes_t positives = load(sums + EG_POSITIVES * EG_LANES) + r->pw;
    store(sums + EG_POSITIVES * EG_LANES, positives);
    add_to(sums + EG_NEGATIVES * EG_LANES, r->nw);
    add_to(sums + EG_TWICE_AUC * EG_LANES, r->nw * (load(sums + EG_POSITIVES_BEFORE_GROUP * EG_LANES) + positives));
    add_to(sums + EG_FLIP * EG_LANES, r->flip);
    if (r->close_now) {
        close_group(sums);
        store(sums + EG_POSITIVES_BEFORE_GROUP * EG_LANES, positives);
    }
    if (p->calibration) {
        add_to(sums + EG_LOG_LOSS * EG_LANES, r->log_loss);
        add_to(sums + EG_BRIER * EG_LANES, r->brier);
        double *cell = p->calibration + (slot * EG_CALIBRATION_PER_SLICE + r->bin_offset) * EG_LANES;
        add_to(cell, r->w);
        add_to(cell + EG_LANES, r->pw);
        add_to(cell + 2 * EG_LANES, r->weighted_score);
    }
}

/// Rows added in blocks: a block's rows are prepared once, then added pass
/// by pass, so that only one pass's slices are in use at a time (the sums
/// of every slice of a gate of 100 slices do not fit in the L1 cache, one
/// pass's do). Each slice still sees its rows in rank order, so its sums
/// are those of a row-by-row loop.
#define EG_BLOCK 64

static inline __attribute__((always_inline)) void add_rows(const eg_resample_pass *p, int64_t from, int64_t to) {
    prepared_row block[EG_BLOCK];
    for (int64_t start = from; start < to; start += EG_BLOCK) {
        int64_t n = to - start < EG_BLOCK ? to - start : EG_BLOCK;
        for (int64_t r = 0; r < n; r++) prepare(p, start + r, &block[r]);
        for (int64_t j = 0; j < p->width; j++) {
            for (int64_t r = 0; r < n; r++) add_to_slot(p, &block[r], block[r].slots[j]);
        }
    }
}

/// The predicted positives first (positions below the cut), then every
/// slice's threshold counts are taken, then the rest.
static inline __attribute__((always_inline)) void add_pass(const eg_resample_pass *p) {
    int64_t predicted = 0;
    while (predicted < p->drawn && p->positions[p->visits[predicted]] < p->cut) predicted++;
    add_rows(p, 0, predicted);
    for (int64_t slot = 0; slot < p->total; slot++) {
        double *sums = p->sums + slot * EG_FIELDS * EG_LANES;
        store(sums + EG_TRUE_POSITIVES * EG_LANES, load(sums + EG_POSITIVES * EG_LANES));
        store(sums + EG_FALSE_POSITIVES * EG_LANES, load(sums + EG_NEGATIVES * EG_LANES));
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
