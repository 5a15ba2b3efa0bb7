import Foundation

/// Small helpers for the charts, which are SVG drawn on the server: no script, readable by a
/// screen reader through their title and description, and each shown with a table or text that
/// says the same.
enum SVG {
    /// Text and attribute values: `&`, `<`, `>`, `"` and `'` escaped.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// A coordinate with at most one decimal, so that the markup stays small.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (min(max(value, -1e9), 1e9) * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// The opening tag of a chart: its size, role and accessible name and description.
    /// `naturalSize`: drawn at its own size (scrolling sideways on a small screen) rather than
    /// scaled to the width, for charts whose labels would become unreadable.
    static func open(id: String, width: Double, height: Double, title: String, description: String, className: String,
                     naturalSize: Bool = false) -> String {
        let size = naturalSize ? " width=\"\(number(width))\" height=\"\(number(height))\"" : ""
        return """
        <svg xmlns="http://www.w3.org/2000/svg" class="\(className)" viewBox="0 0 \(number(width)) \(number(height))"\(size) \
        role="img" aria-labelledby="\(id)-title \(id)-desc"><title id="\(id)-title">\(escape(title))</title>\
        <desc id="\(id)-desc">\(escape(description))</desc>
        """
    }

    /// Colour from red (0) through amber to green (1), for strengths and coverage.
    static func scale(_ value: Double) -> String {
        let v = min(max(value, 0), 1)
        // Hue 8° (red) to 130° (green); lightness kept where white text stays readable.
        return "hsl(\(Int(8 + 122 * v)),62%,\(Int(42 - 6 * v))%)"
    }
}
