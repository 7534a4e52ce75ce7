namespace EvGateway.Vehicles;

/// <summary>
/// Endpoint metadata of routes whose failures have a shape of their own (the old bridge's <c>{"error": ...}</c>): the
/// error handler asks it for the answer to a <see cref="GatewayException"/> instead of writing ProblemDetails. As
/// metadata rather than a filter, it costs the routes' successful calls nothing.
/// </summary>
public interface IFailureShape
{
    /// <summary>The answer to <paramref name="failure"/> (its status included).</summary>
    IResult Answer(GatewayException failure);
}
