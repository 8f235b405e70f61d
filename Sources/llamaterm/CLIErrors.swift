import ArgumentParser
import Foundation

/// Turns any error from a command into one line on stderr and exit status 1: never a trap, never a
/// stack trace.
enum CLIErrors {
    static func report(_ body: () throws -> Void) throws {
        do { try body() } catch let error as ExitCode { throw error } catch {
            printError(error)
            throw ExitCode.failure
        }
    }

    static func report(_ body: () async throws -> Void) async throws {
        do { try await body() } catch let error as ExitCode { throw error } catch {
            printError(error)
            throw ExitCode.failure
        }
    }

    /// One line `llamaterm: TEXT` on stderr (notes and warnings that do not stop the command).
    static func printNote(_ text: String) {
        FileHandle.standardError.write(Data("llamaterm: \(text.replacingOccurrences(of: "\n", with: " "))\n".utf8))
    }

    static func printError(_ error: Error) {
        let text = String(describing: error).replacingOccurrences(of: "\n", with: " ")
        FileHandle.standardError.write(Data("llamaterm: \(text)\n".utf8))
    }
}
