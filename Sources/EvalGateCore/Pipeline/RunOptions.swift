import Foundation

/// What `evalgate check` was asked to do.
package struct RunOptions {
    package var gatePath: String
    package var datasetPath: String?
    package var candidatePath: String?
    package var championPath: String?
    package var jobs: Int
    /// `--root`: every path the gate file names must resolve inside it.
    package var root: String?
    /// Compare the run's estimated memory with the process's limits first
    /// (`EVALGATE_MEMORY_CHECK=off` skips it, for an estimate that is wrong
    /// for some data).
    package var memoryCheck = true
    /// The CI context and labels, copied into the report.
    package var lineage = Lineage()
    /// `--baseline`: reads a recorded run's candidate values (gate name,
    /// dataset sha256) to stand in for the champion.
    package var baseline: ((String, String) throws(EvalGateError) -> Baseline)?

    package init(
        gatePath: String, datasetPath: String? = nil, candidatePath: String? = nil, championPath: String? = nil,
        jobs: Int
    ) {
        self.gatePath = gatePath
        self.datasetPath = datasetPath
        self.candidatePath = candidatePath
        self.championPath = championPath
        self.jobs = jobs
    }
}
