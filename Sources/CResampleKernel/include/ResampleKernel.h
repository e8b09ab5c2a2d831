// The inner loop of the bootstrap (SPEC.md section 6, "Statistics"): the
// running sums of every slice over one pass of a model's ranking, four
// resamples at a time (one lane each). Written in C for one reason: Swift
// cannot compile one function for AVX2 and keep the rest of the binary for
// baseline x86-64, and a 256-bit register holds exactly the four lanes.
// Both paths perform the same IEEE operations in the same order on each
// lane (no fused multiply-add), so their results are bit-identical.
#ifndef EVALGATE_RESAMPLE_KERNEL_H
#define EVALGATE_RESAMPLE_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

/// Resamples scored in one pass.
#define EG_LANES 4

/// The sums of one slice, each EG_LANES doubles, at
/// `sums[(slot * EG_FIELDS + field) * EG_LANES + lane]`.
enum {
    EG_POSITIVES_BEFORE_GROUP = 0,
    EG_POSITIVES,
    EG_NEGATIVES,
    EG_TWICE_AUC,
    EG_AVERAGE_PRECISION,
    EG_FLIP,
    EG_LOG_LOSS,
    EG_BRIER,
    EG_FIELDS  // 8 fields x 4 lanes x 8 bytes: four 64-byte cache lines per slice
};

/// The predicted-positive weight of each slice, EG_LANES doubles each, at
/// `predicted[(slice * 2 + EG_TRUE_POSITIVES) * EG_LANES + lane]`.
enum { EG_TRUE_POSITIVES = 0, EG_FALSE_POSITIVES = 1 };

/// Calibration sums per slice (10 bins x weight, positive weight, weight x score).
#define EG_CALIBRATION_PER_SLICE 30
#define EG_CALIBRATION_PER_BIN 3

/// One pass: the drawn visits in rank order and what the ranking holds at
/// each position. Pointers marked optional are NULL when no metric reads them.
typedef struct {
    /// Visit index k of each drawn row, ascending; `drawn` of them.
    const int32_t *visits;
    int64_t drawn;
    /// EG_LANES Poisson counts per drawn row.
    const uint8_t *counts;
    /// Ranking position of visit k.
    const int32_t *positions;
    /// `width` slots per visit k: the slice of each pass (or its spare).
    const uint16_t *slots;
    int64_t width;
    /// Positions below `cut` are predicted positive.
    int64_t cut;
    /// Slices; slots `total ..< total + width` are the passes' spares.
    int64_t total;
    const double *score;
    const double *weight;
    const bool *positive;
    /// Optional: flip_rate.
    const bool *flipped;
    /// Optional (log_loss, brier, ece): per-position log term and bin.
    const double *log_term;
    const uint8_t *bin;
    bool average_precision;
    /// (total + width) * EG_FIELDS * EG_LANES doubles, zero, 64-byte aligned.
    double *sums;
    /// total * 2 * EG_LANES doubles.
    double *predicted;
    /// total + width doubles, NaN: each slot's last score of a tie group.
    double *previous;
    /// Optional: (total + width) * EG_CALIBRATION_PER_SLICE * EG_LANES doubles, zero, 64-byte aligned.
    double *calibration;
} eg_resample_pass;

/// Adds every drawn row to each of its slices (the baseline x86-64 or
/// generic path).
void eg_resample_add_baseline(const eg_resample_pass *pass);

/// The same with 256-bit AVX2 registers; call only when
/// `eg_cpu_has_avx2()`.
void eg_resample_add_avx2(const eg_resample_pass *pass);

/// Whether the CPU and the operating system support AVX2 (CPUID leaf 7
/// and the YMM state enabled in XCR0); false off x86-64.
bool eg_cpu_has_avx2(void);

#endif
