/// Why a request to an inference server (or our own server's socket work) failed. Each case names
/// the server and says what happened in words a user can act on; the text a server sent with an
/// HTTP error is kept.
public enum RemoteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL cannot be used (`reason` says why).
    case invalidURL(String, reason: String)
    /// Nothing listens at the address (the server is not running, or the port is wrong).
    case connectionRefused(url: String)
    /// The host name did not resolve, the network is unreachable, or another connect error.
    case cannotConnect(url: String, message: String)
    /// Connecting took longer than the connect timeout.
    case connectTimeout(url: String, seconds: Double)
    /// The server sent nothing for `seconds` (before the first byte or between two tokens).
    case responseTimeout(url: String, seconds: Double, received: Bool)
    /// The server answered with an HTTP error status; `message` is its error text.
    case httpError(url: String, status: Int, message: String)
    /// The server's reply is not what the protocol says (`detail` says where).
    case malformedResponse(url: String, detail: String)
    /// The server closed the connection before the reply was complete.
    case truncated(url: String, detail: String)
    /// The connection broke (reset, broken pipe) while talking to the server.
    case connectionLost(url: String, message: String)
    /// The server reported an error inside the event stream.
    case serverError(url: String, message: String)
    /// The environment variable that should hold the API key is unset or empty.
    case missingAPIKey(variable: String)
    /// A remote backend was asked to generate from token ids alone; it needs the prompt's text.
    case promptTextRequired
    /// A socket call failed outside a request (e.g. the server could not bind its port).
    case socket(operation: String, message: String)

    public var description: String {
        switch self {
        case let .invalidURL(url, reason):
            return "invalid server URL \"\(url)\": \(reason)"
        case let .connectionRefused(url):
            return "cannot connect to \(url): connection refused (is the server running on that port?)"
        case let .cannotConnect(url, message):
            return "cannot connect to \(url): \(message)"
        case let .connectTimeout(url, seconds):
            return "cannot connect to \(url): no answer within \(Self.format(seconds)) s (connect timeout)"
        case let .responseTimeout(url, seconds, received):
            return received
                ? "\(url) stopped sending: nothing for \(Self.format(seconds)) s in the middle of the reply (the partial reply is kept)"
                : "\(url) did not answer within \(Self.format(seconds)) s"
        case let .httpError(url, status, message):
            let text = message.isEmpty ? "" : ": \(message)"
            return "\(url) answered HTTP \(status) \(HTTPStatus.reason(status))\(text)"
        case let .malformedResponse(url, detail):
            return "\(url) sent a malformed reply: \(detail)"
        case let .truncated(url, detail):
            return "\(url) closed the connection before the reply was complete: \(detail) (the partial reply is kept)"
        case let .connectionLost(url, message):
            return "the connection to \(url) broke: \(message) (the partial reply is kept)"
        case let .serverError(url, message):
            return "\(url) reported an error: \(message)"
        case let .missingAPIKey(variable):
            return "the environment variable \(variable) (named by --api-key-env) is not set or is empty"
        case .promptTextRequired:
            return "a remote backend needs the prompt's text, not only its token ids"
        case let .socket(operation, message):
            return "\(operation) failed: \(message)"
        }
    }

    /// True when nothing reached the server's generation yet, so trying again cannot duplicate or
    /// lose any of the reply (connect failures and "try again later" statuses).
    public var isRetryable: Bool {
        switch self {
        case .connectionRefused, .connectTimeout, .cannotConnect: return true
        case let .httpError(_, status, _): return status == 503 || status == 429 || status == 502
        default: return false
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String((seconds * 100).rounded() / 100)
    }
}
