using System.Runtime.CompilerServices;
using System.Text.Json;
using EvGateway.Vehicles;

namespace EvGateway.Legacy;

/// <summary>
/// Serialises a status to the legacy body once and reuses the bytes while the status is unchanged: home
/// automation polls the same cached status many times a minute.
/// </summary>
public sealed class LegacyStatusRenderer
{
    private readonly ConditionalWeakTable<VehicleStatus, byte[]> rendered = new();

    public IResult Render(VehicleStatus status, Vehicle vehicle)
    {
        var body = rendered.GetValue(status, s => JsonSerializer.SerializeToUtf8Bytes(LegacyStatus.From(s, vehicle), LegacyJson.Options));
        return TypedResults.Bytes(body, "application/json");
    }
}
