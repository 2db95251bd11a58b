import Tenancy

/// The audit trail of admin changes, one line each on standard output:
/// `audit action=created tenant=acme version=1 actor="admin-api request 7f3a..."`.
struct AuditLog: TenancyObserver {
    func adminChanged(_ event: AdminEvent) {
        Console.line(
            "audit action=\(event.action.rawValue) tenant=\(event.tenant) version=\(event.version)"
                + " actor=\(Logfmt.value(event.actor ?? "-"))")
    }
}
