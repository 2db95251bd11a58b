import Foundation
import Tenancy
import Testing

@testable import TenancySQLite

@Suite struct LoadFlightTests {
    @Test func everyWaiterGetsTheOneResult() {
        let flight = LoadFlight()
        let results = Collector<TenantID?>()
        let done = DispatchGroup()
        done.enter()
        Thread {
            onThreads(8) { _ in
                if case .success(let config) = flight.wait() { results.append(config?.id) }
            }
            done.leave()
        }.start()
        usleep(10_000)
        flight.complete(.success(TenantConfig(id: .valid("acme"))))
        done.wait()
        #expect(results.all == Array(repeating: .valid("acme"), count: 8))
    }

    @Test func aWaiterAfterCompletionReturnsAtOnce() {
        let flight = LoadFlight()
        flight.complete(.failure(TenancyError(.backendUnavailable, "down")))
        #expect(throws: TenancyError(.backendUnavailable, "down")) { try flight.wait().get() }
    }
}
