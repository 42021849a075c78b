import EventRouter

extension SNSService {
    /// `Publish` (and each PublishBatch entry) with a data directory (docs/durability.md, "Topics"): the
    /// fan-out is made before the answer and the answer waits until the queue records it made
    /// are stored, so an acknowledged publish is not lost by a crash right after it. (Without a
    /// data directory a standard topic answers first and delivers after: SNSService+Publish.swift.)
    /// A FIFO publish's deduplication entry and the deliveries still retrying when it answers
    /// (`topic.deduplication`, `topic.deliveryPut`) are stored before the answer too.
    func publishStored(_ message: TopicMessage, to topic: Topic) async throws(AWSError) -> PublishResult {
        let collector = StateJournalTickets()
        let outcome: Result<PublishResult, AWSError> = await StateJournalTickets.$current.withValue(collector) {
            do throws(AWSError) { return .success(try await publish(message, to: topic)) } catch { return .failure(error) }
        }
        let result = try outcome.get()
        do { try await collector.stored() } catch { throw AWSError.notStored(error) }
        return result
    }
}
