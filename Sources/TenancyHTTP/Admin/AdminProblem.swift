import Foundation
import Tenancy

/// An admin API failure: a problem document (RFC 9457) whose `errors` member lists the invalid fields by
/// their JSON path, so a client can show each message beside its field.
struct AdminProblem: Error, Sendable {
    /// The stable codes of the admin API beyond the gate's.
    enum Code: String, Sendable {
        case invalidTenant = "invalid_tenant"
        case invalidJSON = "invalid_json"
        case invalidArgument = "invalid_argument"
        case tenantNotFound = "tenant_not_found"
        case tenantExists = "tenant_exists"
        case versionConflict = "version_conflict"
        case backendUnavailable = "tenant_backend_unavailable"
        case internalError = "internal_error"
    }

    var status: HTTPStatus
    var code: Code
    var detail: String
    var fieldErrors: [TenancyError.FieldError]

    init(_ status: HTTPStatus, _ code: Code, _ detail: String, fieldErrors: [TenancyError.FieldError] = []) {
        self.status = status
        self.code = code
        self.detail = detail
        self.fieldErrors = fieldErrors
    }

    /// The problem a service error becomes.
    init(_ error: TenancyError) {
        switch error.code {
        case .tenantNotFound: self.init(.notFound, .tenantNotFound, error.message)
        case .tenantExists: self.init(.conflict, .tenantExists, error.message)
        case .versionConflict: self.init(.preconditionFailed, .versionConflict, error.message)
        case .invalidConfiguration, .invalidTenantID, .invalidArgument:
            self.init(.badRequest, .invalidTenant, error.message, fieldErrors: error.fieldErrors)
        case .backendUnavailable: self.init(.serviceUnavailable, .backendUnavailable, error.message)
        default: self.init(.internalServerError, .internalError, "the admin service failed")
        }
    }

    /// The problem document. Written here rather than by the gate's renderer because `errors` is an array
    /// of objects, which the gate's string-valued extensions cannot carry.
    var response: HTTPResponse {
        let document = Document(
            type: AdmissionGate.Configuration.defaultProblemTypeBase + code.rawValue, title: status.reasonPhrase,
            status: status.code, detail: detail, code: code.rawValue, errors: fieldErrors.isEmpty ? nil : fieldErrors)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var response = HTTPResponse(status: status, body: Array((try? encoder.encode(document)) ?? Data()))
        response.headers.appendTrusted("Content-Type", AdmissionRejection.contentType)
        return response
    }

    private struct Document: Encodable {
        var type: String
        var title: String
        var status: Int
        var detail: String
        var code: String
        var errors: [TenancyError.FieldError]?
    }
}
