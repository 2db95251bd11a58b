import Testing

@testable import Tenancy

@Suite struct TenantContextTests {
    static let acme = TenantID(validating: "acme")!
    static let globex = TenantID(validating: "globex")!

    struct Boom: Error {}

    @Test func bindsNoTenantOutsideWithTenant() {
        #expect(TenantContext.current == nil)
    }

    @Test func bindsTheTenantForTheOperation() {
        let seen = withTenant(Self.acme) { TenantContext.current }
        #expect(seen == Self.acme)
    }

    @Test func unbindsTheTenantAfterTheOperation() {
        withTenant(Self.acme) {}
        #expect(TenantContext.current == nil)
    }

    @Test func returnsWhatTheOperationReturns() {
        #expect(withTenant(Self.acme) { 42 } == 42)
    }

    @Test func letsTheInnerBindingWinAndRestoresTheOuterOne() {
        let seen: [TenantID?] = withTenant(Self.acme) {
            let outer = TenantContext.current
            let inner = withTenant(Self.globex) { TenantContext.current }
            return [outer, inner, TenantContext.current]
        }
        #expect(seen == [Self.acme, Self.globex, Self.acme])
    }

    @Test func restoresTheOuterBindingWhenTheOperationThrows() {
        let after: TenantID? = withTenant(Self.acme) {
            _ = try? withTenant(Self.globex) { () throws(Boom) in throw Boom() }
            return TenantContext.current
        }
        #expect(after == Self.acme)
    }

    @Test func rethrowsWhatTheOperationThrows() {
        #expect(throws: Boom.self) { try withTenant(Self.acme) { throw Boom() } }
    }

    @Test func bindsTheTenantAcrossSuspensionPoints() async {
        let seen = await withTenant(Self.acme) { () async -> TenantID? in
            await Task.yield()
            try? await Task.sleep(for: .milliseconds(1))
            return TenantContext.current
        }
        #expect(seen == Self.acme)
        #expect(TenantContext.current == nil)
    }

    @Test func letsTheInnerAsyncBindingWinAndRestoresTheOuterOne() async {
        let seen: [TenantID?] = await withTenant(Self.acme) {
            let inner = await withTenant(Self.globex) { () async -> TenantID? in
                await Task.yield()
                return TenantContext.current
            }
            return [inner, TenantContext.current]
        }
        #expect(seen == [Self.globex, Self.acme])
    }

    @Test func passesTheBindingToAsyncLetChildren() async {
        let seen = await withTenant(Self.acme) { () async -> TenantID? in
            async let child = Self.currentAfterYielding()
            return await child
        }
        #expect(seen == Self.acme)
    }

    @Test func passesTheBindingToTaskGroupChildren() async {
        let seen = await withTenant(Self.acme) {
            await withTaskGroup(of: TenantID?.self) { group in
                for _ in 0..<4 { group.addTask { await Self.currentAfterYielding() } }
                return await group.reduce(into: [TenantID?]()) { $0.append($1) }
            }
        }
        #expect(seen == Array(repeating: Self.acme, count: 4))
    }

    @Test func passesTheBindingToUnstructuredTasks() async {
        let seen = await withTenant(Self.acme) {
            await Task { await Self.currentAfterYielding() }.value
        }
        #expect(seen == Self.acme)
    }

    /// Documents the limit: a detached task starts with no tenant, so code that detaches must capture
    /// `TenantContext.current` and rebind it.
    @Test func doesNotPassTheBindingToDetachedTasks() async {
        let seen = await withTenant(Self.acme) {
            await Task.detached { await Self.currentAfterYielding() }.value
        }
        #expect(seen == nil)
    }

    @Test func letsADetachedTaskRebindACapturedTenant() async {
        let seen = await withTenant(Self.acme) {
            let captured = TenantContext.current
            return await Task.detached { () async -> TenantID? in
                guard let captured else { return nil }
                return await withTenant(captured) { await Self.currentAfterYielding() }
            }.value
        }
        #expect(seen == Self.acme)
    }

    @Test func keepsConcurrentTasksBindingsApart() async {
        let tenants = try! (0..<16).map { try TenantID("tenant-\($0)") }
        let mismatches = await withTaskGroup(of: Bool.self) { group in
            for tenant in tenants {
                group.addTask {
                    await withTenant(tenant) {
                        for _ in 0..<10 {
                            await Task.yield()
                            if TenantContext.current != tenant { return true }
                        }
                        return false
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(mismatches == 0)
    }

    @Test func requiredReturnsTheBoundTenant() throws {
        let tenant = try withTenant(Self.acme) { try TenantContext.required() }
        #expect(tenant == Self.acme)
    }

    @Test func requiredThrowsTenantRequiredWhenNoneIsBound() {
        #expect(throws: TenancyError(.tenantRequired, "no tenant is bound to the current task")) {
            try TenantContext.required()
        }
    }

    @Test func requiredThrowsInADetachedTask() async {
        let error = await withTenant(Self.acme) {
            await Task.detached { () -> TenancyError.Code? in
                do throws(TenancyError) {
                    _ = try TenantContext.required()
                    return nil
                } catch {
                    return error.code
                }
            }.value
        }
        #expect(error == .tenantRequired)
    }

    @Test func runsOnTheCallersActor() async {
        let recorder = IsolationProbe()
        let seen = await recorder.bindAndRead(Self.acme)
        #expect(seen == Self.acme)
    }

    static func currentAfterYielding() async -> TenantID? {
        await Task.yield()
        return TenantContext.current
    }
}

/// An actor that binds a tenant from inside its own isolation, where a non-`Sendable` closure result must
/// not cross actors.
private actor IsolationProbe {
    var seen: TenantID?

    func bindAndRead(_ tenant: TenantID) async -> TenantID? {
        await withTenant(tenant) {
            await Task.yield()
            seen = TenantContext.current
        }
        return seen
    }
}
