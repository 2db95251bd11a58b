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

    /// The quota step for a resolved tenant: consumes the request's cost, then runs `next` (the tenant is
    /// already bound by the step that resolved it), or answers the refusal.
    func charge(
        _ request: HTTPRequest, config: TenantConfig, tokens: Int64?, onRejected: RejectionResponder?,
        next: HTTPResponder
    ) async throws -> HTTPResponse {
        let admission: Admission
        switch cost(of: request.admissionRequest, config: config, tokens: tokens) {
        case .proceed(let cost): admission = await consumeQuota(cost, config: config)
        case .decided(let decided): admission = decided
        }
        switch admission {
        case .admitted(let admitted):
            return try await proceed(
                request, config: config, quota: admitted.quota, stage: .admitted, bind: false,
                fields: admitted.responseHeaders, next: next)
        case .rejected(let rejection):
            return await respond(to: rejection, of: request, custom: onRejected)
        }
    }
}
