@testable import TandemCore
import Testing

/// The chunked array the read model holds interactions in behaves as an array does.
@Suite struct ChunkedArrayTests {
    @Test func appendsAcrossChunksAndReadsBackInOrder() {
        let size = ChunkedArray<Int>.chunkSize
        var chunked = ChunkedArray<Int>()
        chunked.append(contentsOf: 0..<(2 * size + 3))
        #expect(chunked.count == 2 * size + 3)
        #expect(Array(chunked) == Array(0..<(2 * size + 3)))
        #expect(chunked[size] == size && chunked[2 * size + 2] == 2 * size + 2)
        #expect(chunked.enumerated().allSatisfy { $0.offset == $0.element })
    }

    @Test func aCopyThatGrowsLeavesTheOriginalAsItWas() {
        let size = ChunkedArray<Int>.chunkSize
        var original = ChunkedArray(0..<(size + 1))
        let held = original
        original.append(-1)
        original[0] = 42
        #expect(held.count == size + 1 && held[0] == 0 && held.last == size)
        #expect(original.count == size + 2 && original[0] == 42 && original.last == -1)
    }

    @Test func replacingAndFilteringGiveWhatAnArrayGives() {
        var chunked: ChunkedArray = [1, 2, 3, 4, 5]
        var array = [1, 2, 3, 4, 5]
        chunked.replaceSubrange(1..<3, with: [9, 9, 9])
        array.replaceSubrange(1..<3, with: [9, 9, 9])
        #expect(Array(chunked) == array)
        #expect(Array(chunked.filter { $0 > 4 }) == array.filter { $0 > 4 })
        #expect(chunked == ChunkedArray(array) && chunked != [1])
        chunked.removeAll()
        #expect(chunked.isEmpty && Array(chunked) == [])
    }
}
