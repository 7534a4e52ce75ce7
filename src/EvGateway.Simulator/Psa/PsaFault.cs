namespace EvGateway.Simulator.Psa;

/// <summary>Ways the connected-car REST API can be told to misbehave (see <see cref="PsaCloud.FailNext"/>).</summary>
public enum PsaFault
{
    /// <summary>500 with the API gateway's JSON error body.</summary>
    ServerError,

    /// <summary>429 with Retry-After, as when the API throttles an account.</summary>
    RateLimited,

    /// <summary>No answer at all until the client gives up (or the simulator stops).</summary>
    Timeout,

    /// <summary>502 with an HTML body from a load balancer, which a JSON parser must not choke on.</summary>
    BadGatewayHtml,
}
