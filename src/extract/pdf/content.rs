//! A content stream read into operations, one at a time, the way Poppler's lexer reads it.
//!
//! Our own rather than lopdf's `Content::decode`, for two reasons:
//! - **Speed.** lopdf's parser tries each kind of operand in turn through `nom` combinators and
//!   collects the whole stream before the walker sees an operation; it was 37 % of the
//!   extraction workers' CPU. Here each token is told by its first byte, and the operands of
//!   one operation are all that is held.
//! - **Recovery.** lopdf stops at the first token it cannot read and drops the rest of the page
//!   (a comment between operands, a stray `)`, a `#` in an operator), and loses the whole page
//!   when an inline image's data does not end where its dictionary says. Poppler skips what it
//!   cannot read and goes on; so does this. Text after a damaged token is never worse for it:
//!   the walker only acts on operators it knows, with the operands it expects.
//!
//! Where lopdf reads a whole stream, this reads the same operations with the same operands
//! (`BI`, an inline image, excepted: it comes with no operands, as the walker needs none).
//! The tests hold it to that on generated streams and on every content stream of the PDFs in
//! `corpora/`; where lopdf stops early, its operations must be the first of ours.

use lopdf::{Dictionary, Object, StringFormat};

/// Arrays and dictionaries nest this deep at most (as in lopdf); a deeper opening bracket is
/// skipped like any stray delimiter, so a hostile stream cannot exhaust the stack.
const MAX_NESTING: usize = 100;

/// Operands kept for one operator; later ones are dropped, as Poppler drops those past its 33.
/// No operator takes more than a few dozen, and a stream of operands with no operator (64 MiB
/// of numbers) must not become millions of objects.
const MAX_OPERANDS: usize = 1024;

/// The operations of one content stream, read one at a time.
pub(super) struct Operations<'a> {
    bytes: &'a [u8],
    at: usize,
    operands: Vec<Object>,
}

/// One token of a content stream.
enum Token<'a> {
    Object(Object),
    /// A run of regular characters that is not an operand: an operator, or junk that is read as
    /// an unknown one (as Poppler reads it).
    Keyword(&'a [u8]),
    /// `]`, `>>` (given as `>`), or a delimiter with no object to open: `)`, `{`, `}`, a lone `>`.
    Close(u8),
}

impl<'a> Operations<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Self {
        Operations {
            bytes,
            at: 0,
            operands: Vec::new(),
        }
    }

    /// The next operator with the operands before it, or `None` at the end of the stream
    /// (where operands without an operator are dropped). The operands last until the next call.
    pub(super) fn next_operation(&mut self) -> Option<(&'a [u8], &[Object])> {
        self.operands.clear();
        loop {
            self.skip_space();
            match self.token(0)? {
                Token::Object(operand) if self.operands.len() < MAX_OPERANDS => self.operands.push(operand),
                Token::Object(_) => {}
                Token::Keyword(b"BI") => {
                    self.skip_inline_image();
                    self.operands.clear();
                    return Some((b"BI", &[]));
                }
                Token::Keyword(operator) => return Some((operator, &self.operands)),
                // Poppler reads a stray delimiter as an unknown operator: it ends the operation.
                Token::Close(_) => self.operands.clear(),
            }
        }
    }

    /// White space and comments.
    fn skip_space(&mut self) {
        while let Some(&byte) = self.bytes.get(self.at) {
            if is_whitespace(byte) {
                self.at += 1;
            } else if byte == b'%' {
                let rest = &self.bytes[self.at..];
                self.at += rest
                    .iter()
                    .position(|&byte| byte == b'\r' || byte == b'\n')
                    .unwrap_or(rest.len());
            } else {
                return;
            }
        }
    }

    /// The token at the current position (after [`Operations::skip_space`]), `None` at the end.
    fn token(&mut self, depth: usize) -> Option<Token<'a>> {
        let bytes = self.bytes;
        let &first = bytes.get(self.at)?;
        let token = match first {
            b'0'..=b'9' | b'+' | b'-' | b'.' => match self.number() {
                Some(number) => Token::Object(number),
                None => Token::Keyword(self.run(is_junk_byte)),
            },
            b'/' => Token::Object(Object::Name(self.name())),
            b'(' => Token::Object(self.literal_string()),
            b'<' if bytes.get(self.at + 1) == Some(&b'<') => {
                if depth >= MAX_NESTING {
                    self.at += 2;
                    Token::Close(b'<')
                } else {
                    Token::Object(self.dictionary(depth + 1))
                }
            }
            b'<' => Token::Object(self.hex_string()),
            b'[' if depth >= MAX_NESTING => {
                self.at += 1;
                Token::Close(b'[')
            }
            b'[' => Token::Object(self.array(depth + 1)),
            b'>' => {
                self.at += if bytes.get(self.at + 1) == Some(&b'>') { 2 } else { 1 };
                Token::Close(b'>')
            }
            b']' | b')' | b'{' | b'}' => {
                self.at += 1;
                Token::Close(first)
            }
            _ if is_operator_byte(first) => match self.run(is_operator_byte) {
                b"true" => Token::Object(Object::Boolean(true)),
                b"false" => Token::Object(Object::Boolean(false)),
                b"null" => Token::Object(Object::Null),
                keyword => Token::Keyword(keyword),
            },
            _ => Token::Keyword(self.run(is_junk_byte)),
        };
        Some(token)
    }

    /// The longest run of bytes from the current position that `keep` accepts (at least one
    /// byte, so reading always moves on).
    fn run(&mut self, keep: impl Fn(u8) -> bool) -> &'a [u8] {
        let rest = &self.bytes[self.at..];
        let length = rest.iter().position(|&byte| !keep(byte)).unwrap_or(rest.len()).max(1);
        self.at += length;
        &rest[..length]
    }

    /// An element of an array or a value of a dictionary: an object, where `12 0 R` is a
    /// reference (as in lopdf, which reads references there and nowhere else in content).
    fn direct_object(&mut self, depth: usize) -> Option<Token<'a>> {
        let starts_with_digit = self.bytes.get(self.at).is_some_and(u8::is_ascii_digit);
        let token = self.token(depth)?;
        if let Token::Object(Object::Integer(number)) = token
            && starts_with_digit
            && let Ok(number) = u32::try_from(number)
            && let Some(generation) = self.reference_tail()
        {
            return Some(Token::Object(Object::Reference((number, generation))));
        }
        Some(token)
    }

    /// After an object number: the generation and `R` of a reference, consumed only if present.
    fn reference_tail(&mut self) -> Option<u16> {
        let start = self.at;
        self.skip_space();
        let digits = self.bytes[self.at..]
            .iter()
            .take_while(|byte| byte.is_ascii_digit())
            .count();
        let generation =
            digits_value(&self.bytes[self.at..self.at + digits]).and_then(|value| u16::try_from(value).ok());
        self.at += digits;
        self.skip_space();
        match generation {
            Some(generation) if digits > 0 && self.bytes.get(self.at) == Some(&b'R') => {
                self.at += 1;
                Some(generation)
            }
            _ => {
                self.at = start;
                None
            }
        }
    }

    /// A number as lopdf reads it: an integer, or a real with a point. A minus sign inside the
    /// fraction (`0.00-4142502`) is ignored, as by Poppler and pdf.js. `None`, with nothing
    /// consumed, when no digit follows the sign.
    fn number(&mut self) -> Option<Object> {
        let bytes = self.bytes;
        let start = self.at;
        let mut end = start;
        if matches!(bytes.get(end), Some(b'+' | b'-')) {
            end += 1;
        }
        let integer_start = end;
        end += bytes[end..].iter().take_while(|byte| byte.is_ascii_digit()).count();
        let integer_digits = end - integer_start;
        let point_then_digit =
            bytes.get(end) == Some(&b'.') && (integer_digits > 0 || bytes.get(end + 1).is_some_and(u8::is_ascii_digit));
        if point_then_digit {
            end += 1;
            end += bytes[end..]
                .iter()
                .take_while(|&&byte| byte.is_ascii_digit() || byte == b'-')
                .count();
            let text = &bytes[start..end];
            let value = if text[1..].contains(&b'-') {
                let mut kept = vec![text[0]];
                kept.extend(text[1..].iter().filter(|&&byte| byte != b'-'));
                parse_real(&kept)
            } else {
                parse_real(text)
            }?;
            self.at = end;
            return Some(Object::Real(value));
        }
        if integer_digits == 0 {
            return None;
        }
        let text = &bytes[start..end];
        let magnitude = digits_value(&bytes[integer_start..end]);
        let integer = magnitude.and_then(|magnitude| {
            if text[0] == b'-' {
                0i64.checked_sub_unsigned(magnitude)
            } else {
                i64::try_from(magnitude).ok()
            }
        });
        // Too large for an integer: Poppler reads it as a real, where lopdf stops reading.
        let number = match integer {
            Some(integer) => Object::Integer(integer),
            None => Object::Real(parse_real(text)?),
        };
        self.at = end;
        Some(number)
    }

    /// A name after its `/`; `#` and two hexadecimal digits stand for one byte, and any other
    /// `#` ends the name.
    fn name(&mut self) -> Vec<u8> {
        self.at += 1;
        let bytes = self.bytes;
        let mut name = Vec::new();
        loop {
            let rest = &bytes[self.at..];
            let plain = rest
                .iter()
                .position(|&byte| byte == b'#' || !is_regular(byte))
                .unwrap_or(rest.len());
            name.extend_from_slice(&rest[..plain]);
            self.at += plain;
            let escaped = match bytes.get(self.at..self.at + 3) {
                Some([b'#', high, low]) => hex_value(*high).zip(hex_value(*low)),
                _ => None,
            };
            match escaped {
                Some((high, low)) => {
                    name.push((high << 4) | low);
                    self.at += 3;
                }
                None => return name,
            }
        }
    }

    /// A `(literal string)`: balanced parentheses nest, escapes and line ends are read as in
    /// ISO 32000-2 7.3.4.2. An unterminated string runs to the end of the stream.
    fn literal_string(&mut self) -> Object {
        self.at += 1;
        let bytes = self.bytes;
        let mut text = Vec::new();
        let mut open = 0usize;
        loop {
            let rest = &bytes[self.at..];
            let plain = rest
                .iter()
                .position(|byte| matches!(byte, b'(' | b')' | b'\\' | b'\r' | b'\n'))
                .unwrap_or(rest.len());
            text.extend_from_slice(&rest[..plain]);
            self.at += plain;
            let Some(&special) = bytes.get(self.at) else {
                break;
            };
            self.at += 1;
            match special {
                b'(' => {
                    open += 1;
                    text.push(b'(');
                }
                b')' if open == 0 => break,
                b')' => {
                    open -= 1;
                    text.push(b')');
                }
                b'\r' | b'\n' => {
                    self.skip_line_feed_after(special);
                    text.push(b'\n');
                }
                _ => self.escape(&mut text),
            }
        }
        Object::String(text, StringFormat::Literal)
    }

    /// After a backslash in a literal string.
    fn escape(&mut self, text: &mut Vec<u8>) {
        let Some(&escaped) = self.bytes.get(self.at) else {
            return;
        };
        self.at += 1;
        match escaped {
            b'0'..=b'7' => {
                let digits = 1 + self.bytes[self.at..]
                    .iter()
                    .take(2)
                    .take_while(|byte| matches!(byte, b'0'..=b'7'))
                    .count();
                let octal = &self.bytes[self.at - 1..self.at - 1 + digits];
                // Three octal digits may exceed a byte; the high-order overflow is ignored.
                let value = octal
                    .iter()
                    .fold(0u16, |value, digit| value * 8 + u16::from(digit - b'0'));
                text.push(value as u8);
                self.at += digits - 1;
            }
            // A backslash at a line's end continues the string on the next line.
            b'\r' | b'\n' => self.skip_line_feed_after(escaped),
            b'n' => text.push(b'\n'),
            b'r' => text.push(b'\r'),
            b't' => text.push(b'\t'),
            b'b' => text.push(b'\x08'),
            b'f' => text.push(b'\x0C'),
            other => text.push(other),
        }
    }

    /// A carriage return and a line feed after it are one line end.
    fn skip_line_feed_after(&mut self, line_end: u8) {
        if line_end == b'\r' && self.bytes.get(self.at) == Some(&b'\n') {
            self.at += 1;
        }
    }

    /// A `<hexadecimal string>`; white space is ignored, as is anything else that is not a
    /// hexadecimal digit (Poppler), and an odd last digit is followed by a 0.
    fn hex_string(&mut self) -> Object {
        self.at += 1;
        let mut text = Vec::new();
        let mut high = None;
        while let Some(&byte) = self.bytes.get(self.at) {
            self.at += 1;
            if byte == b'>' {
                break;
            }
            if let Some(value) = hex_value(byte) {
                match high.take() {
                    None => high = Some(value),
                    Some(high) => text.push((high << 4) | value),
                }
            }
        }
        if let Some(high) = high {
            text.push(high << 4);
        }
        Object::String(text, StringFormat::Hexadecimal)
    }

    /// An `[array]`; keywords and stray delimiters inside it are skipped (Poppler keeps going
    /// where lopdf stops), and one left open ends with the stream.
    fn array(&mut self, depth: usize) -> Object {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.skip_space();
            match self.direct_object(depth) {
                None | Some(Token::Close(b']')) => break,
                Some(Token::Object(item)) => items.push(item),
                Some(_) => {}
            }
        }
        Object::Array(items)
    }

    /// A `<<dictionary>>`; a key that is not a name is skipped, and a later value under the
    /// same key replaces the earlier one (as in lopdf).
    fn dictionary(&mut self, depth: usize) -> Object {
        self.at += 2;
        Object::Dictionary(self.dictionary_entries(depth, |_| false))
    }

    /// Key–value pairs up to `>>`, the end of the stream, or a keyword that `ends` accepts.
    fn dictionary_entries(&mut self, depth: usize, ends: impl Fn(&[u8]) -> bool) -> Dictionary {
        let mut dictionary = Dictionary::new();
        let mut key = None;
        loop {
            self.skip_space();
            match self.direct_object(depth) {
                None | Some(Token::Close(b'>')) => break,
                Some(Token::Keyword(keyword)) if ends(keyword) => break,
                Some(Token::Object(value)) => match key.take() {
                    Some(key) => dictionary.set(key, value),
                    None => {
                        if let Object::Name(name) = value {
                            key = Some(name);
                        }
                    }
                },
                Some(_) => {}
            }
        }
        dictionary
    }

    /// Past an inline image (`BI` read): its dictionary, `ID`, the data and `EI`.
    ///
    /// The data of an unfiltered image has a length its dictionary gives away; when `EI`
    /// follows it there, that is the end. Otherwise (a filter, a colour space named in the
    /// resources, a length that does not fit) the data ends at the first `EI` with white space
    /// before it and white space or the stream's end after it, as lopdf and Poppler look for it.
    fn skip_inline_image(&mut self) {
        let dictionary = self.dictionary_entries(1, |keyword| keyword == b"ID");
        // One white-space byte (or CR LF) separates `ID` from the data.
        match self.bytes.get(self.at) {
            Some(b'\r') => {
                self.at += 1;
                self.skip_line_feed_after(b'\r');
            }
            Some(&byte) if is_whitespace(byte) => self.at += 1,
            _ => {}
        }
        let data = self.at;
        if let Some(length) = unfiltered_image_length(&dictionary)
            && let Some(after) = data.checked_add(length).filter(|&after| after <= self.bytes.len())
        {
            self.at = after;
            while self.bytes.get(self.at).copied().is_some_and(is_whitespace) {
                self.at += 1;
            }
            if self.bytes[self.at..].starts_with(b"EI") {
                self.at += 2;
                return;
            }
        }
        let rest = &self.bytes[data..];
        let end = rest.windows(3).enumerate().find_map(|(index, window)| {
            let ends_here = is_whitespace(window[0])
                && &window[1..] == b"EI"
                && rest.get(index + 3).is_none_or(|&byte| is_whitespace(byte));
            ends_here.then_some(index + 3)
        });
        self.at = data + end.unwrap_or(rest.len());
    }
}

/// The byte length of an inline image's data when it has no filter and its size and colour
/// space are given directly (the reading of lopdf, which Poppler agrees with on such images).
fn unfiltered_image_length(dictionary: &Dictionary) -> Option<usize> {
    let entry = |short: &[u8], long: &[u8]| dictionary.get(short).or_else(|_| dictionary.get(long)).ok();
    if entry(b"F", b"Filter").is_some() {
        return None;
    }
    let size = |short: &[u8], long: &[u8]| {
        entry(short, long)
            .and_then(|value| value.as_i64().ok())
            .and_then(|value| usize::try_from(value).ok())
    };
    let width = size(b"W", b"Width")?;
    let height = size(b"H", b"Height")?;
    let mask = entry(b"IM", b"ImageMask").and_then(|value| value.as_bool().ok()) == Some(true);
    let bits = match size(b"BPC", b"BitsPerComponent") {
        None if mask => 1,
        bits => bits?,
    };
    let components = if mask {
        1
    } else {
        match entry(b"CS", b"ColorSpace")? {
            Object::Array(array) if matches!(array.first(), Some(Object::Name(name)) if name == b"Indexed" || name == b"I") => {
                1
            }
            Object::Name(name) => match name.as_slice() {
                b"DeviceGray" | b"G" | b"Gray" => 1,
                b"DeviceRGB" | b"RGB" => 3,
                b"DeviceRGBA" | b"RGBA" | b"DeviceCMYK" | b"CMYK" => 4,
                _ => return None,
            },
            _ => return None,
        }
    };
    let row_bits = width.checked_mul(bits)?.checked_mul(components)?;
    row_bits.div_ceil(8).checked_mul(height)
}

/// White space in PDF syntax (ISO 32000-2, 7.2.3), for content streams and CMaps alike.
pub(super) fn is_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | b'\0' | b'\x0C')
}

/// Delimiters in PDF syntax (ISO 32000-2, 7.2.3).
pub(super) fn is_delimiter(byte: u8) -> bool {
    matches!(
        byte,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(byte: u8) -> bool {
    !is_whitespace(byte) && !is_delimiter(byte)
}

/// The bytes of an operator as lopdf reads one (`T*`, `'`, `"`, `d0`); a run of other regular
/// bytes is read as an unknown operator of its own.
fn is_operator_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'*' | b'\'' | b'"')
}

/// A regular byte that no operator has: a run of them is read as an unknown operator.
fn is_junk_byte(byte: u8) -> bool {
    is_regular(byte) && !is_operator_byte(byte)
}

fn hex_value(byte: u8) -> Option<u8> {
    (byte as char).to_digit(16).map(|value| value as u8)
}

/// The value of a run of ASCII digits, or `None` if it exceeds `u64`.
fn digits_value(digits: &[u8]) -> Option<u64> {
    digits.iter().try_fold(0u64, |value, &digit| {
        value.checked_mul(10)?.checked_add(u64::from(digit - b'0'))
    })
}

/// Digits with an optional sign and point, as `f32` (the type lopdf keeps reals in).
fn parse_real(text: &[u8]) -> Option<f32> {
    std::str::from_utf8(text).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use lopdf::Stream;
    use lopdf::content::{Content, Operation};

    use super::*;

    /// Operations as operator and operands (lopdf's `Operation` has no `PartialEq`).
    type Read = Vec<(String, Vec<Object>)>;

    fn ours(bytes: &[u8]) -> Read {
        let mut operations = Operations::new(bytes);
        let mut read = Vec::new();
        while let Some((operator, operands)) = operations.next_operation() {
            read.push((String::from_utf8_lossy(operator).into_owned(), operands.to_vec()));
        }
        read
    }

    /// lopdf's operations for the stream, with an inline image's operands dropped as ours are.
    fn lopdf(bytes: &[u8]) -> Option<Read> {
        let operations = Content::decode(bytes).ok()?.operations;
        let read = operations.into_iter().map(|Operation { operator, operands }| {
            let operands = if operator == "BI" { Vec::new() } else { operands };
            (operator, operands)
        });
        Some(read.collect())
    }

    fn strictly_lopdf(bytes: &[u8]) -> Option<Read> {
        Content::decode_strict(bytes).ok().and_then(|_| lopdf(bytes))
    }

    /// Holds ours to lopdf on one stream: the same operations where lopdf reads it all, and
    /// lopdf's as the first of ours where it stops early. `Err` says how they differ.
    fn compare_with_lopdf(bytes: &[u8]) -> Result<(), String> {
        let ours = ours(bytes);
        if let Some(theirs) = strictly_lopdf(bytes) {
            if ours != theirs {
                let at = ours
                    .iter()
                    .zip(&theirs)
                    .position(|(a, b)| a != b)
                    .unwrap_or(ours.len().min(theirs.len()));
                return Err(format!(
                    "{} operations against lopdf's {}; first difference at {at}: {:?} against {:?}",
                    ours.len(),
                    theirs.len(),
                    ours.get(at),
                    theirs.get(at)
                ));
            }
        } else if let Some(theirs) = lopdf(bytes)
            && ours.get(..theirs.len()) != Some(theirs.as_slice())
        {
            return Err(format!(
                "lopdf stopped after {} operations, which do not start ours",
                theirs.len()
            ));
        }
        Ok(())
    }

    /// A tiny deterministic generator (xorshift), so a failure names its seed.
    struct Random(u64);

    impl Random {
        fn below(&mut self, bound: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % bound as u64) as usize
        }

        fn pick<'t>(&mut self, items: &[&'t str]) -> &'t str {
            items[self.below(items.len())]
        }
    }

    /// Well-formed content in the shapes producers write, with the awkward corners of the
    /// syntax: escapes, nested parentheses, names with `#`, references in arrays, line ends of
    /// every kind, tokens run together without spaces, inline images.
    fn generated_stream(random: &mut Random) -> String {
        const OPERANDS: &[&str] = &[
            "0",
            "-12",
            "+7",
            "3.25",
            "-.5",
            ".75",
            "4.",
            "0.00-4142502",
            "99999",
            "/F1",
            "/A#20B",
            "/Span",
            "(plain)",
            "(with \\(escaped\\) parens)",
            "(nested (inner (deep)) text)",
            "(\\101\\1010\\7x)",
            "(line\\\nfold)",
            "(tab\\tnew\\nline\\r\\b\\f\\\\)",
            "(raw\r\nbreak\rand\nmore)",
            "<48656C6C6F>",
            "<4 8 6\n5 6>",
            "<ABC>",
            "<>",
            "[(a) -250 (b) 12.5 (c)]",
            "[]",
            "[1 0 R /N 2 0 R]",
            "<</MCID 3>>",
            "<</ActualText (x) /Sub <</K [1 2]>>>>",
            "true",
            "false",
            "null",
            "[[1] [2 [3]]]",
        ];
        const OPERATORS: &[&str] = &[
            "Tj", "TJ", "Tf", "Td", "TD", "Tm", "T*", "'", "\"", "cm", "q", "Q", "BT", "ET", "Do", "BDC", "EMC", "re",
            "f", "d0", "sc", "gs",
        ];
        const SPACES: &[&str] = &[" ", "\n", "\r\n", "\r", "\t", "  ", "\x0c", "\0"];
        // lopdf reads a comment between operations only.
        const BETWEEN: &[&str] = &[" ", "\n", "\r\n", "\n% a comment\n", "%comment\r"];
        let mut stream = String::new();
        for _ in 0..random.below(40) {
            match random.below(12) {
                0 => stream.push_str("BI /W 2 /H 2 /CS /G /BPC 8 ID \x00EI\x7f EI"),
                1 => stream.push_str("BI /W 4 /H 1 /F /AHx ID 0a0b0c EI"),
                _ => {
                    for _ in 0..random.below(4) {
                        stream.push_str(random.pick(OPERANDS));
                        // Delimiters end tokens by themselves; a space is not always written.
                        if random.below(3) > 0 {
                            stream.push_str(random.pick(SPACES));
                        } else {
                            stream.push(' ');
                        }
                    }
                    stream.push_str(random.pick(OPERATORS));
                }
            }
            stream.push_str(random.pick(BETWEEN));
        }
        stream
    }

    #[test]
    fn reads_generated_streams_as_lopdf_does() {
        let mut random = Random(0x9E37_79B9_7F4A_7C15);
        let mut strict = 0;
        for seed in 0..3000 {
            let stream = generated_stream(&mut random);
            if strictly_lopdf(stream.as_bytes()).is_some() {
                strict += 1;
            }
            if let Err(difference) = compare_with_lopdf(stream.as_bytes()) {
                panic!("stream {seed} {stream:?}: {difference}");
            }
        }
        // Most generated streams are ones lopdf reads whole: the comparison above is not vacuous.
        assert!(strict > 2500, "lopdf read only {strict} of 3000 streams whole");
    }

    fn operators(bytes: &[u8]) -> Vec<String> {
        ours(bytes).into_iter().map(|(operator, _)| operator).collect()
    }

    #[test]
    fn reads_on_where_lopdf_stops() {
        let cases: &[&[u8]] = &[
            // A comment between operands, a stray parenthesis, a `#` in an operator.
            b"BT /F1 12 % size\n Tf (a) Tj ET BT (b) Tj ET",
            b"BT ) (a) Tj ET BT (b) Tj ET",
            b"BT (a) Tj q# ET BT (b) Tj ET",
            // An integer too large for 64 bits, and a lone minus sign.
            b"BT 99999999999999999999 0 Td (a) Tj - ET BT (b) Tj ET",
            // An inline image whose data runs longer than its dictionary says.
            b"BT (a) Tj ET BI /W 1 /H 1 /CS /G /BPC 8 ID \x01\x02\x03 EI BT (b) Tj ET",
        ];
        for &case in cases {
            let read = operators(case);
            assert!(
                read.ends_with(&["BT".to_string(), "Tj".to_string(), "ET".to_string()]),
                "{:?}: {read:?}",
                String::from_utf8_lossy(case)
            );
            let lopdf_read = lopdf(case).map(|operations| operations.len()).unwrap_or(0);
            assert!(
                lopdf_read < read.len(),
                "lopdf reads {:?} whole",
                String::from_utf8_lossy(case)
            );
        }
    }

    #[test]
    fn an_inline_image_without_an_end_takes_the_rest_of_the_stream() {
        // lopdf fails the whole stream here; the text before the image stays.
        let case = b"BT (a) Tj ET BI /W 8 /H 8 /F /DCT ID \xff\xd8 no end BT (b) Tj ET";
        assert!(lopdf(case).is_none());
        assert_eq!(operators(case), ["BT", "Tj", "ET", "BI"]);
    }

    #[test]
    fn operands_keep_their_values() {
        let read = ours(b"[(A\\)) -250.5 <41 4> /N#41me 7 0 R] 0.00-4142502 -.5 +3 Tx");
        let operands = &read[0].1;
        assert_eq!(
            operands[0],
            Object::Array(vec![
                Object::string_literal("A)"),
                Object::Real(-250.5),
                Object::String(b"A@".to_vec(), StringFormat::Hexadecimal),
                Object::Name(b"NAme".to_vec()),
                Object::Reference((7, 0)),
            ])
        );
        assert_eq!(
            operands[1..],
            [Object::Real(0.004_142_502), Object::Real(-0.5), Object::Integer(3)]
        );
    }

    #[test]
    fn operands_without_an_operator_are_bounded() {
        let many = format!("{}(x) Tj", "1 ".repeat(10_000));
        let read = ours(many.as_bytes());
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].1.len(), MAX_OPERANDS);
        assert_eq!(read[0].1[0], Object::Integer(1));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let deep = format!("{}(x){} Tj (y) Tj", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(operators(deep.as_bytes()).last().map(String::as_str), Some("Tj"));
        let deep = format!("{}{} Tj (y) Tj", "<<".repeat(100_000), ">>".repeat(100_000));
        let read = ours(deep.as_bytes());
        assert_eq!(
            read.last().map(|(_, operands)| operands.clone()),
            Some(vec![Object::string_literal("y")])
        );
    }

    /// Every content stream of every PDF in `corpora/` (and, for a one-off check, of the PDFs
    /// under `$CONTENT_DIFF_DIR`): pages' joined contents and all Form XObjects.
    #[test]
    fn reads_the_corpora_as_lopdf_does() {
        let mut roots = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora")];
        roots.extend(std::env::var_os("CONTENT_DIFF_DIR").map(std::path::PathBuf::from));
        let mut files = Vec::new();
        while let Some(dir) = roots.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    roots.push(path);
                } else if path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("pdf")) {
                    files.push(path);
                }
            }
        }
        let (mut streams, mut failures) = (0, Vec::new());
        for path in &files {
            let Ok(Ok(doc)) = std::fs::read(path).map(|bytes| super::super::load(&bytes)) else {
                continue;
            };
            let mut contents = Vec::new();
            for (_, page) in doc.get_pages() {
                let mut joined = Vec::new();
                for id in doc.get_page_contents(page) {
                    if let Ok(Ok(content)) = doc
                        .get_object(id)
                        .and_then(Object::as_stream)
                        .map(Stream::decompressed_content)
                    {
                        joined.extend_from_slice(&content);
                        joined.push(b'\n');
                    }
                }
                contents.push(joined);
            }
            for object in doc.objects.values() {
                if let Object::Stream(stream) = object
                    && stream
                        .dict
                        .get(b"Subtype")
                        .and_then(Object::as_name)
                        .is_ok_and(|name| name == b"Form")
                    && let Ok(content) = stream.decompressed_content()
                {
                    contents.push(content);
                }
            }
            for content in contents {
                streams += 1;
                if let Err(difference) = compare_with_lopdf(&content) {
                    failures.push(format!("{}: {difference}", path.display()));
                }
            }
        }
        assert!(streams > 1000, "only {streams} content streams in {} PDFs", files.len());
        assert!(
            failures.is_empty(),
            "{} of {streams} streams differ:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}
