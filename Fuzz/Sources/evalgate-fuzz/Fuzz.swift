import EvalGateCore
import Foundation

/// libFuzzer entry point. `EVALGATE_FUZZ_TARGET` picks what one input is fed
/// to: `csv` (also TSV, by the input's first byte), `jsonl`, `where`,
/// `gate`, `parquet` (footer, page headers, every decoder and codec) or
/// `snappy`. Each target asserts what must hold for every input: the reader
/// either returns a table or throws an `EvalGateError` (a crash or sanitizer
/// report is the finding), and the parallel CSV path gives the same table as
/// the serial one.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    switch target {
    case "csv": FuzzTargets.csv(bytes)
    case "jsonl": FuzzTargets.jsonLines(bytes)
    case "where": FuzzTargets.whereExpression(bytes)
    case "gate": FuzzTargets.gateFile(bytes)
    case "parquet": FuzzTargets.parquet(bytes)
    case "snappy": FuzzTargets.snappy(bytes)
    default:
        FileHandle.standardError.write(
            Data("set EVALGATE_FUZZ_TARGET to csv, jsonl, where, gate, parquet or snappy\n".utf8))
        exit(2)
    }
    return 0
}

let target = ProcessInfo.processInfo.environment["EVALGATE_FUZZ_TARGET"] ?? ""

/// SwiftPM links an executable target's entry point as
/// `<module>_main`; this one hands control to libFuzzer's driver, which
/// parses the usual libFuzzer flags (`-max_total_time`, `-seed`, corpus
/// folders, or files to replay).
@_cdecl("evalgate_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzOneInput)
}

// libFuzzer's C entry point keeps its C name.
// swift-format-ignore: AlwaysUseLowerCamelCase
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
