import EventRouter

extension LambdaService {
    func createMapping(_ request: LambdaRequest) async throws(AWSError) -> AWSReply { throw LambdaErrors.notFound("not yet") }
    func listMappings(_ request: LambdaRequest) async throws(AWSError) -> AWSReply { throw LambdaErrors.notFound("not yet") }
    func getMapping(_ request: LambdaRequest) async throws(AWSError) -> AWSReply { throw LambdaErrors.notFound("not yet") }
    func updateMapping(_ request: LambdaRequest) async throws(AWSError) -> AWSReply { throw LambdaErrors.notFound("not yet") }
    func deleteMapping(_ request: LambdaRequest) async throws(AWSError) -> AWSReply { throw LambdaErrors.notFound("not yet") }
}
