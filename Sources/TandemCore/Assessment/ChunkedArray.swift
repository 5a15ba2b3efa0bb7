/// An array kept in fixed-size chunks, so that a copy shares them: appending to a copy that
/// others still read copies at most the last chunk, not every element. The read model folds a new
/// dealing into the workspace in memory while requests read the revision before it; with a plain
/// array each such append copied all of the workspace's interactions (3 million on xl).
public struct ChunkedArray<Element> {
    static var shift: Int { 14 }
    static var chunkSize: Int { 1 << shift }

    private var chunks: [[Element]] = []
    public private(set) var count = 0

    public init() {}
}

extension ChunkedArray: RandomAccessCollection, MutableCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> Element {
        get {
            precondition(position >= 0 && position < count, "index out of range")
            return chunks[position >> Self.shift][position & (Self.chunkSize - 1)]
        }
        set {
            precondition(position >= 0 && position < count, "index out of range")
            chunks[position >> Self.shift][position & (Self.chunkSize - 1)] = newValue
        }
    }

    /// Walks the chunks rather than computing each element's place: the full assessment reads
    /// every interaction this way.
    public struct Iterator: IteratorProtocol {
        var chunks: IndexingIterator<[[Element]]>
        var current: IndexingIterator<[Element]>?

        public mutating func next() -> Element? {
            while true {
                if let element = current?.next() { return element }
                guard let chunk = chunks.next() else { return nil }
                current = chunk.makeIterator()
            }
        }
    }

    public func makeIterator() -> Iterator { Iterator(chunks: chunks.makeIterator(), current: nil) }
}

extension ChunkedArray: RangeReplaceableCollection {
    public mutating func append(_ element: Element) {
        if count & (Self.chunkSize - 1) == 0 {
            var chunk: [Element] = []
            chunk.reserveCapacity(Self.chunkSize)
            chunks.append(chunk)
        }
        chunks[chunks.count - 1].append(element)
        count += 1
    }

    public mutating func append<S: Sequence>(contentsOf elements: S) where S.Element == Element {
        for element in elements { append(element) }
    }

    /// Chunks fill up as they are appended to; room is taken a chunk at a time.
    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        chunks.reserveCapacity((minimumCapacity + Self.chunkSize - 1) / Self.chunkSize)
    }

    /// Anything but an append rebuilds the chunks (nothing in the read model does it).
    public mutating func replaceSubrange<C: Collection>(_ subrange: Range<Int>, with newElements: C)
    where C.Element == Element {
        var rebuilt = ChunkedArray()
        rebuilt.reserveCapacity(count - subrange.count + newElements.count)
        rebuilt.append(contentsOf: self[..<subrange.lowerBound])
        rebuilt.append(contentsOf: newElements)
        rebuilt.append(contentsOf: self[subrange.upperBound...])
        self = rebuilt
    }
}

extension ChunkedArray: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Element...) { self.init(elements) }
}

extension ChunkedArray: Equatable where Element: Equatable {
    public static func == (left: ChunkedArray, right: ChunkedArray) -> Bool { left.elementsEqual(right) }
}

extension ChunkedArray: Hashable where Element: Hashable {
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for element in self { hasher.combine(element) }
    }
}

extension ChunkedArray: Sendable where Element: Sendable {}

extension ChunkedArray: CustomStringConvertible {
    public var description: String { Array(self).description }
}
