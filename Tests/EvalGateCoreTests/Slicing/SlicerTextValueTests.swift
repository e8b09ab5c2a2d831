import Testing

@testable import EvalGateCore

struct SlicerTextValueTests {
    @Test func nanAndInfAreTextNotNumbers() throws {
        let slicer = Slicer(table: try csvTable("id,k\n1,nan\n2,10\n3,inf\n4,9\n"))
        let result = try slicer.slices(for: [.by(name: "k", columns: ["k"])])
        #expect(result.dropFirst().map(\.name) == ["k/10", "k/9", "k/inf", "k/nan"])
    }

    /// Fifteen crossed columns of 21 values: the mixed-radix key would need
    /// 21^15 > 2^63 and used to overflow (a trap); the key space is now
    /// made dense before it can.
    @Test func manyCrossedColumnsNeverOverflowTheKey() throws {
        let columns = (0..<15).map { "c\($0)" }
        var csv = "id," + columns.joined(separator: ",") + "\n"
        for row in 0..<60 {
            csv += "\(row)," + columns.indices.map { String((row * ($0 + 7) + $0) % 21) }.joined(separator: ",") + "\n"
        }
        let slicer = Slicer(table: try csvTable(csv))
        let result = try slicer.slices(for: [.by(name: "x", columns: columns)])
        let groups = result.dropFirst()
        #expect(groups.reduce(0) { $0 + $1.rows.count } == 60)
        let keys = groups.map { $0.key!.map { Int($0)! } }
        #expect(keys == keys.sorted { $0.lexicographicallyPrecedes($1) }, "combinations in numeric key order")
        #expect(Set(keys.map { "\($0)" }).count == keys.count)
    }

    @Test func aByOverMoreValuesThanTheLimitIsAGateFileError() throws {
        var slicer = Slicer(table: try csvTable(SlicerTests.table))
        slicer.maxSlicesPerGroup = 2
        slicer.sources = ["m": EvalGateError.Location(file: "gate.yaml", line: 7, column: 5, keyPath: "slices[0].by")]
        #expect {
            _ = try slicer.slices(for: [.by(name: "m", columns: ["merchant"])])
        } throws: { error in
            (error as? EvalGateError)?.description
                == "gate.yaml:7:5: slices[0].by: column 'merchant' has 3 distinct values, so 'by: merchant' would make 3 slices, more than max_slices_per_group (2); did you mean to bin it ('bins: [...]') or to slice by a coarser column? Or raise max_slices_per_group in the gate file"
        }
    }
}
