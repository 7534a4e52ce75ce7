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
    private readonly ConditionalWeakTable<VehicleStatus, RenderedJson> rendered = new();

    public IResult Render(VehicleStatus status, Vehicle vehicle)
    {
        if (!rendered.TryGetValue(status, out var answer))
        {
            answer = new RenderedJson(JsonSerializer.SerializeToUtf8Bytes(LegacyStatus.From(status, vehicle), LegacyJson.Options), "application/json");
            rendered.AddOrUpdate(status, answer);
        }

        return answer;
    }
}
