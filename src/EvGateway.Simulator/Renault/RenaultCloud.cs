using Microsoft.AspNetCore.Routing;

namespace EvGateway.Simulator.Renault;

/// <summary>Gigya + Kamereon fake. (Skeleton: the Renault simulator work fills this in.)</summary>
public sealed class RenaultCloud(SimulatorOptions options, Uri baseAddress)
{
    public Uri GigyaUrl { get; } = new(baseAddress, "gigya");
    public Uri KamereonUrl { get; } = new(baseAddress, "kamereon");
    internal SimulatorOptions Options { get; } = options;

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
    }
}
