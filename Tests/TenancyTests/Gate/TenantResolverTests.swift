import Testing

@testable import Tenancy

@Suite struct TenantResolverTests {
    func head(
        _ target: String = "/", host: String? = nil, headers: [HeaderField] = [], principal: Principal? = nil
    ) -> RequestHead {
        RequestHead(target: target, host: host, headers: headers, principal: principal)
    }

    @Test func resolvesFromTheDefaultHeader() {
        let outcome = TenantResolver().resolve(head(headers: [HeaderField("x-tenant-id", "acme")]))
        #expect(outcome == .found(.valid("acme"), source: "header"))
    }

    @Test func resolvesFromACustomHeaderName() {
        let resolver = TenantResolver([.header("X-Org")])
        #expect(resolver.resolve(head(headers: [HeaderField("X-Org", "acme")])) == .found(.valid("acme"), source: "header"))
        #expect(resolver.resolve(head(headers: [HeaderField("X-Tenant-ID", "acme")])) == .missing)
    }

    @Test func thePrincipalWinsOverAHeaderNamingAnotherTenant() {
        let request = head(
            headers: [HeaderField("X-Tenant-ID", "victim")], principal: Principal(subject: "u1", tenant: .valid("acme")))
        #expect(TenantResolver().resolve(request) == .found(.valid("acme"), source: "principal"))
    }

    @Test func aPrincipalWithoutATenantFallsThroughToTheHeader() {
        let request = head(headers: [HeaderField("X-Tenant-ID", "acme")], principal: Principal(subject: "u1", tenant: nil))
        #expect(TenantResolver().resolve(request) == .found(.valid("acme"), source: "header"))
    }

    @Test func nothingFoundIsMissing() {
        #expect(TenantResolver().resolve(head()) == .missing)
        #expect(TenantResolver().resolve(head(headers: [HeaderField("X-Tenant-ID", "")])) == .missing)
    }

    @Test func aMalformedHeaderIsInvalidAndStopsTheChain() {
        let resolver = TenantResolver([.header(), .queryParameter()])
        let outcome = resolver.resolve(head("/?tenant=acme", headers: [HeaderField("X-Tenant-ID", "a:b")]))
        guard case .invalid(let source, let message) = outcome else {
            Issue.record("expected invalid, got \(outcome)")
            return
        }
        #expect(source == "header")
        #expect(message.contains("byte 0x3A (':') at offset 1"))
    }

    @Test func repeatedTenantHeadersAreInvalidNotFirstWins() {
        let request = head(headers: [HeaderField("X-Tenant-ID", "acme"), HeaderField("x-tenant-id", "victim")])
        guard case .invalid = TenantResolver().resolve(request) else {
            Issue.record("two tenant headers must not resolve")
            return
        }
    }

    @Test(arguments: [
        ("/api?tenant=acme", TenantResolver.Outcome.found(.valid("acme"), source: "query")),
        ("/api?x=1&tenant=ac%6De&y=2", .found(.valid("acme"), source: "query")),
        ("/api?tenant=", .missing),
        ("/api", .missing),
        ("/api?tenants=acme", .missing),
        ("/api?tenant=acme#frag", .found(.valid("acme"), source: "query")),
    ])
    func resolvesFromTheQuery(_ target: String, _ expected: TenantResolver.Outcome) {
        #expect(TenantResolver([.queryParameter()]).resolve(head(target)) == expected)
    }

    @Test(arguments: ["/api?tenant=acme&tenant=victim", "/api?tenant=%zz", "/api?tenant=a+b", "/api?tenant=%C3"])
    func rejectsAmbiguousOrMalformedQueryValues(_ target: String) {
        guard case .invalid(let source, _) = TenantResolver([.queryParameter()]).resolve(head(target)) else {
            Issue.record("\(target) must be invalid")
            return
        }
        #expect(source == "query")
    }

    @Test(arguments: [
        ("acme.example.com", TenantResolver.Outcome.found(.valid("acme"), source: "subdomain")),
        ("ACME.Example.COM:8443", .found(.valid("acme"), source: "subdomain")),
        ("acme.example.com.", .found(.valid("acme"), source: "subdomain")),
        ("acme.other.org", .found(.valid("acme"), source: "subdomain")),
        ("example.com", .missing),
        ("www.example.com", .missing),
        ("admin.example.com", .missing),
        ("acme.example.net", .missing),
        ("evilexample.com", .missing),
        ("[::1]:8080", .missing),
        ("[2001:db8::1]", .missing),
        ("127.0.0.1:8080", .missing),
        ("", .missing),
        ("\u{212A}orp.example.com", .missing),
        ("acme.ex\u{212A}mple.com", .missing),
    ])
    func resolvesFromTheSubdomain(_ host: String, _ expected: TenantResolver.Outcome) {
        let resolver = TenantResolver([.subdomain(of: ["Example.com", "other.org"], reserved: ["www", "Admin"])])
        #expect(resolver.resolve(head(host: host)) == expected)
    }

    @Test(arguments: ["a.b.example.com", "acme.example.com:80x", "bad_label!.example.com"])
    func rejectsSubdomainsThatAreNotOneValidLabel(_ host: String) {
        let outcome = TenantResolver([.subdomain(of: ["example.com"])]).resolve(head(host: host))
        switch outcome {
        case .invalid(let source, _): #expect(source == "subdomain")
        case .missing: #expect(host.contains(":80x"), "only a malformed port may make the host unusable")
        case .found: Issue.record("\(host) must not resolve")
        }
    }

    @Test func aCustomStrategyReportsItsSource() {
        let strategy = TenantResolutionStrategy(source: "api_key") { request in
            request.header("Authorization") == "Key k1" ? .raw("acme") : .none
        }
        let resolver = TenantResolver([strategy, .header()])
        #expect(resolver.resolve(head(headers: [HeaderField("Authorization", "Key k1")])) == .found(.valid("acme"), source: "api_key"))
        #expect(resolver.resolve(head(headers: [HeaderField("X-Tenant-ID", "b")])) == .found(.valid("b"), source: "header"))
    }

    @Test func aCustomStrategyCanDeclareTheRequestInvalid() {
        let strategy = TenantResolutionStrategy(source: "jwt") { _ in .invalid("token names two tenants") }
        #expect(TenantResolver([strategy]).resolve(head()) == .invalid(source: "jwt", message: "token names two tenants"))
    }

    @Test func headerLookupIsCaseInsensitiveAndCombinesRepeats() {
        let request = head(headers: [HeaderField("X-Model", "a"), HeaderField("Accept", "b"), HeaderField("x-MODEL", "c")])
        #expect(request.header("x-model") == "a, c")
        #expect(request.header("X-Modem") == nil)
        #expect(request.header("Accept") == "b")
    }
}
