/// One node of the router's segment trie. Matching walks one node per path segment and prefers a literal
/// child, then the parameter child, then a wildcard route (backtracking when a preferred branch dead-ends),
/// so it is deterministic and independent of registration order. No regular expressions; the work per
/// request is bounded by the depth of the registered patterns, not by the request's path.
struct RouteNode: Sendable {
    /// Children by literal segment.
    private var literals: [Substring: RouteNode] = [:]
    /// The parameter child, keyed by the parameter's name; at most one entry, because two names at one
    /// position would be ambiguous.
    private var parameters: [String: RouteNode] = [:]
    /// Routes ending here, by method.
    private var routes: [HTTPMethod: Route] = [:]
    /// Routes whose wildcard starts here (one or more further segments), by method.
    private var wildcardRoutes: [HTTPMethod: Route] = [:]

    /// Adds `route` for `method` under `segments`.
    /// - Throws: ``HTTPError`` with ``HTTPError/Code/conflictingRoute`` when the method and shape are taken
    ///   or another parameter name sits at the same position.
    mutating func insert(_ segments: ArraySlice<RoutePattern.Segment>, method: HTTPMethod, route: Route) throws(HTTPError) {
        guard let segment = segments.first else {
            if let existing = routes[method] { throw Self.conflict(method, route, existing.pattern) }
            routes[method] = route
            return
        }
        let rest = segments.dropFirst()
        switch segment {
        case .literal(let text):
            try literals[Substring(text), default: RouteNode()].insert(rest, method: method, route: route)
        case .parameter(let name):
            if let other = parameters.keys.first, other != name {
                throw HTTPError(
                    .conflictingRoute,
                    "route \(method) \(route.pattern) names parameter '{\(name)}' where another route names '{\(other)}'")
            }
            try parameters[name, default: RouteNode()].insert(rest, method: method, route: route)
        case .wildcard:
            if let existing = wildcardRoutes[method] { throw Self.conflict(method, route, existing.pattern) }
            wildcardRoutes[method] = route
        }
    }

    private static func conflict(_ method: HTTPMethod, _ route: Route, _ existing: String) -> HTTPError {
        HTTPError(.conflictingRoute, "route \(method) \(route.pattern) is already registered as \(method) \(existing)")
    }

    /// The route for `method` at `segments`, its parameters appended to `parameters`. `HEAD` falls back to
    /// `GET` at the same node.
    func route(
        for method: HTTPMethod, at segments: ArraySlice<Substring>, parameters found: inout HTTPParameters
    ) -> Route? {
        guard let segment = segments.first else { return Self.pick(method, in: routes) }
        let rest = segments.dropFirst()
        if let child = literals[segment], let route = child.route(for: method, at: rest, parameters: &found) {
            return route
        }
        if let (name, child) = parameters.first {
            found.append(name, Self.decoded(segment))
            if let route = child.route(for: method, at: rest, parameters: &found) { return route }
            found.removeLast()
        }
        guard let route = Self.pick(method, in: wildcardRoutes) else { return nil }
        found.append("*", segments.map(Self.decoded).joined(separator: "/"))
        return route
    }

    /// Every method some route answers at `segments`; `HEAD` is included wherever `GET` is.
    func allowedMethods(at segments: ArraySlice<Substring>) -> Set<HTTPMethod> {
        var methods: Set<HTTPMethod> = []
        if let segment = segments.first {
            let rest = segments.dropFirst()
            if let child = literals[segment] { methods.formUnion(child.allowedMethods(at: rest)) }
            for child in parameters.values { methods.formUnion(child.allowedMethods(at: rest)) }
            methods.formUnion(wildcardRoutes.keys)
        } else {
            methods.formUnion(routes.keys)
        }
        if methods.contains(.get) { methods.insert(.head) }
        return methods
    }

    /// Every method some route answers anywhere; `HEAD` is included wherever `GET` is.
    var allMethods: Set<HTTPMethod> {
        var methods = Set(routes.keys).union(wildcardRoutes.keys)
        for child in literals.values { methods.formUnion(child.allMethods) }
        for child in parameters.values { methods.formUnion(child.allMethods) }
        if methods.contains(.get) { methods.insert(.head) }
        return methods
    }

    private static func pick(_ method: HTTPMethod, in routes: [HTTPMethod: Route]) -> Route? {
        routes[method] ?? (method == .head ? routes[.get] : nil)
    }

    /// A normal-form segment with `%25`, `%3F` and `%23` (the only escapes a normal form keeps) decoded.
    static func decoded(_ segment: Substring) -> String {
        guard segment.contains("%") else { return String(segment) }
        return String(segment).replacing("%3F", with: "?").replacing("%23", with: "#").replacing("%25", with: "%")
    }
}
