import EventRouter

/// Totals the line items of an order event (`detail.items[].price × quantity`).
///
/// A Swift function: this folder's `function.json` says `"Runtime": "swift"` and names this
/// type as its `Handler`; the build compiles it in, nothing else is registered by hand.
struct OrderTotal: CodableFunctionHandler {
    struct Item: Decodable {
        var sku: String
        var price: Double
        var quantity: Int?
    }

    struct Detail: Decodable {
        var orderId: String
        var items: [Item]
    }

    struct Event: Decodable {
        var detail: Detail
    }

    struct Output: Encodable {
        var orderId: String
        var total: Double
        var itemCount: Int
    }

    func handle(_ event: Event, context: FunctionContext) async throws -> Output {
        guard !event.detail.items.isEmpty else {
            throw FunctionError(type: "EmptyOrder", message: "order \(event.detail.orderId) has no items")
        }
        let total = event.detail.items.reduce(0.0) { $0 + $1.price * Double($1.quantity ?? 1) }
        return Output(orderId: event.detail.orderId, total: (total * 100).rounded() / 100,
                      itemCount: event.detail.items.reduce(0) { $0 + ($1.quantity ?? 1) })
    }
}
