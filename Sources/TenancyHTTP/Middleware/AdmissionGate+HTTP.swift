import Tenancy

extension AdmissionGate {
    /// The response to a rejection: `custom` when given, else the gate's problem document. Records the
    /// rejection's tenant and outcome for the completion middleware first.
    func respond(
        to rejection: AdmissionRejection, of request: HTTPRequest, custom: RejectionResponder?
    ) async -> HTTPResponse {
        request.completion?.record(tenant: rejection.tenant, outcome: rejection.outcome)
        if let custom { return await custom(request, rejection) }
        return HTTPResponse(rejection: rejection, typeBase: configuration.problemTypeBase)
    }

    /// Runs `next` for a request that passed a step: the request carries what the gate learned, the
    /// outcome is recorded as `allowed` before the handler runs (so a handler that fails still counts as
    /// admitted; a later step that refuses overwrites it), the tenant is bound in `TenantContext` when
    /// `bind` says so, and `fields` (the quota's rate-limit fields) are added to the response.
    func proceed(
        _ request: HTTPRequest, config: TenantConfig?, quota: QuotaDecision?, stage: TenantStage, bind: Bool,
        fields: [HeaderField] = [], next: HTTPResponder
    ) async throws -> HTTPResponse {
        var passed = request
        passed.tenantConfig = config
        passed.quota = quota
        passed.tenantStage = stage
        guard let tenant = config?.id else { return try await next(passed) }
        request.completion?.record(tenant: tenant, outcome: .allowed)
        var response = try await bind ? withTenant(tenant) { try await next(passed) } : next(passed)
        for field in fields { response.headers.appendTrusted(field.name, field.value) }
        return response
    }
}
