import Testing
@testable import TandemCore

@Suite struct ValueParsingTests {
    @Test func datesAreStrictISO() {
        #expect(LocalDate("2024-02-29")?.description == "2024-02-29")
        #expect(LocalDate("2023-02-29") == nil)
        #expect(LocalDate("2024-13-01") == nil)
        #expect(LocalDate("24-01-01") == nil)
        #expect(LocalDate("2024/01/01") == nil)
        #expect(YearMonth("2024-03")?.description == "2024-03")
        #expect(YearMonth("2024-3") == nil)
    }

    @Test func interactionTimesKeepTheirOffset() {
        #expect(InteractionTime("2024-03-05")?.timestamp == nil)
        #expect(InteractionTime("2024-03-05T09:30:00+01:00")?.timestamp == "2024-03-05T09:30:00+01:00")
        #expect(InteractionTime("2024-03-05T09:30Z")?.timestamp == "2024-03-05T09:30:00Z")
        #expect(InteractionTime("2024-03-05T09:30:15.250-0530")?.timestamp == "2024-03-05T09:30:15-05:30")
        #expect(InteractionTime("2024-03-05T09:30:00+01:00")?.date.description == "2024-03-05")
        #expect(InteractionTime("2024-03-05T25:00:00Z") == nil)
        #expect(InteractionTime("2024-03-05T09:30:00") == nil)
    }

    @Test func decimalsUseAPointAndNoExponent() {
        #expect(BundleRow.parseDecimal("1250.50") == 1250.5)
        #expect(BundleRow.parseDecimal("-3") == -3)
        #expect(BundleRow.parseDecimal("1,5") == nil)
        #expect(BundleRow.parseDecimal("1e5") == nil)
        #expect(BundleRow.parseDecimal("1.2.3") == nil)
        #expect(BundleRow.parseDecimal("NaN") == nil)
        #expect(BundleRow.parseDecimal(".") == nil)
    }

    @Test func numbersFormatShortestWithoutExponent() {
        #expect(BundleNumber.format(100) == "100")
        #expect(BundleNumber.format(1250.5) == "1250.5")
        #expect(BundleNumber.format(0.00001) == "0.00001")
        #expect(BundleNumber.format(123456789012.25) == "123456789012.25")
        #expect(BundleNumber.format(-0.0) == "0")
        for value in [0.1, 19.99, 1234.56, 987654.32, 0.005] {
            #expect(BundleRow.parseDecimal(BundleNumber.format(value)) == value)
        }
    }

    @Test func vocabularySpellingsListEveryValue() {
        #expect(PartnershipStatus.spellings == "`proposed`, `active`, `suspended` or `ended`")
        #expect(InteractionKind.pricingRequest.category == .transactional)
        #expect(InteractionKind.jointCustomerCall.category == .relational)
        #expect(InteractionKind.email.category == .neutral)
    }
}

@Suite struct TrimTests {
    @Test func trimsOnlySpacesAndTabsAtTheEnds() {
        #expect(BundleRow.trimmed("  a b\t") == "a b")
        #expect(BundleRow.trimmed("plain") == "plain")
        #expect(BundleRow.trimmed(" \t ") == "")
        #expect(BundleRow.trimmed("") == "")
        #expect(BundleRow.trimmed(" Ωμέγα ") == "Ωμέγα")
    }
}
