import Testing

@testable import Tenancy

@Suite struct QuotaDecisionTests {
    let requests = QuotaDimensionStatus(window: .minute, limit: 10, remaining: 4, reset: .seconds(30))
    let tokens = QuotaDimensionStatus(window: .hour, limit: 1_000, remaining: 250, reset: .seconds(1_800))

    @Test func reportsMinusOneRemainingForAnUnlimitedDimension() {
        let requestsOnly = QuotaDecision(requests: requests, tokens: nil, rejection: nil)
        let tokensOnly = QuotaDecision(requests: nil, tokens: tokens, rejection: nil)
        #expect(requestsOnly.remainingRequests == 4)
        #expect(requestsOnly.remainingTokens == -1)
        #expect(tokensOnly.remainingRequests == -1)
        #expect(tokensOnly.remainingTokens == 250)
    }

    @Test func resetIsTheLaterOfTheTwoDimensionsAndZeroWhenUnlimited() {
        #expect(QuotaDecision(requests: requests, tokens: tokens, rejection: nil).reset == .seconds(1_800))
        #expect(QuotaDecision(requests: requests, tokens: nil, rejection: nil).reset == .seconds(30))
        #expect(QuotaDecision.unlimited.reset == .zero)
    }

    @Test func statusOfADimensionIsThatDimensionsBindingLimit() {
        let decision = QuotaDecision(requests: requests, tokens: tokens, rejection: nil)
        #expect(decision.status(of: .requests) == requests)
        #expect(decision.status(of: .tokens) == tokens)
        #expect(QuotaDecision.unlimited.status(of: .tokens) == nil)
    }

    @Test func anAllowedDecisionHasNoRetryAfter() {
        let decision = QuotaDecision(requests: requests, tokens: nil, rejection: nil)
        #expect(decision.isAllowed)
        #expect(decision.retryAfter == nil)
    }

    @Test func aRejectionCanNeverFitExactlyWhenItHasNoRetryAfter() {
        let later = QuotaRejection(dimension: .requests, window: .minute, retryAfter: .seconds(30))
        let never = QuotaRejection(dimension: .tokens, window: .hour, retryAfter: nil)
        let rejected = QuotaDecision(requests: requests, tokens: tokens, rejection: later)
        #expect(!rejected.isAllowed)
        #expect(rejected.retryAfter == .seconds(30))
        #expect(!later.canNeverFit)
        #expect(never.canNeverFit)
    }
}
