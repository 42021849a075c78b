/// Builds the HTTP requests of an API destination (pure: no clock, no network).
public enum ApiDestinationRequest {
    /// The header EventBridge sends as its user agent.
    public static let userAgent = "Amazon/EventBridge/ApiDestinations"

    /// The endpoint with each `*` replaced, in order, by a percent-encoded `PathParameterValues` entry.
    public static func url(endpoint: String, pathValues: [String]) -> Result<String, ApiDestinationProblem> {
        let stars = endpoint.count { $0 == "*" }
        guard stars == pathValues.count else {
            return .failure(ApiDestinationProblem("the endpoint \(endpoint) has \(stars) path parameter\(stars == 1 ? "" : "s") ('*') but the target's HttpParameters.PathParameterValues gives \(pathValues.count)"))
        }
        var out = ""
        var values = pathValues.makeIterator()
        for c in endpoint {
            if c == "*", let v = values.next() { out += PercentEncoding.encode(v) } else { out.append(c) }
        }
        return .success(out)
    }

    /// `url` with `parameters` appended to its query string.
    public static func appendingQuery(_ url: String, _ parameters: [HTTPParameter]) -> String {
        guard !parameters.isEmpty else { return url }
        let (base, fragment) = url.firstIndex(of: "#").map { (String(url[..<$0]), String(url[$0...])) } ?? (url, "")
        let separator = base.contains("?") ? (base.hasSuffix("?") || base.hasSuffix("&") ? "" : "&") : "?"
        return base + separator + PercentEncoding.query(parameters) + fragment
    }

    /// `headers` with `overrides` replacing same-named (case-insensitive) entries.
    static func merge(_ headers: [HTTPParameter], _ overrides: [HTTPParameter]) -> [HTTPParameter] {
        var result = headers
        for o in overrides {
            result.removeAll { $0.name.lowercased() == o.name.lowercased() }
            result.append(o)
        }
        return result
    }

    /// The invocation: the shaped input as body (none for `GET` and `HEAD`), the target's and the
    /// connection's headers and query-string parameters (the connection's win on a clash), the
    /// connection's body parameters added to a JSON object body, and `authorization` last.
    public static func invocation(destination: ApiDestinationDefinition, connection: ConnectionDefinition, parameters: HttpParameters?,
                                  body: String, authorization: HTTPParameter?) -> Result<HTTPClientRequest, ApiDestinationProblem> {
        let url: String
        switch Self.url(endpoint: destination.invocationEndpoint, pathValues: parameters?.pathParameterValues ?? []) {
        case .success(let u): url = u
        case .failure(let problem): return .failure(problem)
        }
        let invocation = connection.invocationParameters
        let query = (parameters?.queryStringParameters ?? []) + invocation.queryString
        var headers = [HTTPParameter("Content-Type", "application/json; charset=utf-8"), HTTPParameter("User-Agent", userAgent)]
        headers = merge(headers, parameters?.headerParameters ?? [])
        headers = merge(headers, invocation.headers)
        if let authorization { headers = merge(headers, [authorization]) }
        var text = body
        if !invocation.body.isEmpty, let json = try? JSONParser.parse(body), case .object(var o) = json {
            for p in invocation.body { o[p.name] = .string(p.value) }
            text = JSONValue.object(o).jsonText
        }
        let sendsBody = destination.httpMethod != "GET" && destination.httpMethod != "HEAD"
        return .success(HTTPClientRequest(method: destination.httpMethod, url: appendingQuery(url, query), headers: headers,
                                          body: sendsBody ? Array(text.utf8) : []))
    }

    /// The header of an API key or Basic connection (OAuth's is the bearer token, see ``bearer(_:)``).
    public static func authorizationHeader(_ authorization: ConnectionDefinition.Authorization) -> HTTPParameter? {
        switch authorization {
        case .apiKey(let name, let value): return HTTPParameter(name, value)
        case .basic(let user, let password): return HTTPParameter("Authorization", "Basic " + Base64.encode(Array("\(user):\(password)".utf8)))
        case .oauth: return nil
        }
    }

    /// `Authorization: Bearer TOKEN`.
    public static func bearer(_ token: String) -> HTTPParameter { HTTPParameter("Authorization", "Bearer \(token)") }

    /// The token request of an OAuth client-credentials connection: the client id and secret as
    /// Basic authorization, the `OAuthHttpParameters` as headers, query string and (form-encoded) body.
    public static func tokenRequest(_ settings: ConnectionDefinition.OAuthSettings) -> HTTPClientRequest {
        var headers = [HTTPParameter("User-Agent", userAgent), HTTPParameter("Accept", "application/json")]
        let form = PercentEncoding.query(settings.parameters.body)
        if settings.httpMethod != "GET" { headers.append(HTTPParameter("Content-Type", "application/x-www-form-urlencoded")) }
        headers = merge(headers, settings.parameters.headers)
        headers = merge(headers, [HTTPParameter("Authorization", "Basic " + Base64.encode(Array("\(settings.clientID):\(settings.clientSecret)".utf8)))])
        return HTTPClientRequest(method: settings.httpMethod, url: appendingQuery(settings.authorizationEndpoint, settings.parameters.queryString),
                                 headers: headers, body: settings.httpMethod == "GET" ? [] : Array(form.utf8))
    }

    /// `Retry-After` as a delay: whole seconds, or an HTTP date (IMF-fixdate) after `now`.
    public static func retryAfter(_ value: String?, now: Timestamp) -> Duration? {
        guard let value = value?.trimmingSpaces, !value.isEmpty else { return nil }
        if let seconds = Int(value) { return seconds >= 0 ? .seconds(min(seconds, 86_400)) : nil }
        guard let date = HTTPDate.parse(value) else { return nil }
        return date > now ? min(date - now, .seconds(86_400)) : .zero
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}

/// HTTP dates (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 IMF-fixdate).
enum HTTPDate {
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func parse(_ text: String) -> Timestamp? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let month = months.firstIndex(of: String(parts[2])),
              let year = Int(parts[3]) else { return nil }
        let hms = parts[4].split(separator: ":").compactMap { Int($0) }
        guard hms.count == 3, (1...31).contains(day), (1970...9999).contains(year), (0...23).contains(hms[0]), (0...59).contains(hms[1]),
              (0...60).contains(hms[2]) else { return nil }
        let days = daysFromCivil(year: year, month: month + 1, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hms[0] * 3600 + hms[1] * 60 + hms[2])
        return Timestamp(nanosecondsSinceEpoch: seconds * 1_000_000_000)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

/// Why an API destination request could not be made, in words for the user.
public struct ApiDestinationProblem: Error, Sendable, Hashable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
