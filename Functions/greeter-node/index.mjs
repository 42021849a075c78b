// Module-level initialisation runs once per execution environment (warm starts reuse it).
const greeting = process.env.GREETING ?? "Hello";
let invocations = 0;

export const handler = async (event, context) => {
  invocations += 1;
  const name = event?.detail?.customer ?? "world";
  console.log(`greeting ${name}, ${context.getRemainingTimeInMillis()} ms left`);
  return {
    message: `${greeting}, ${name}!`,
    function: context.functionName,
    requestId: context.awsRequestId,
    warm: invocations > 1,
  };
};
