using System.Collections.Concurrent;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Budget;
using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Psa.Mqtt;

/// <summary>
/// Wake-ups nobody asked for in person (charge control, home automation) cannot drain the 12 V battery: at most one per
/// car per <c>Psa:WakeUpMinIntervalMinutes</c>, and none while the car is asleep (it has not reported for that long)
/// and unplugged, where nothing it could say is worth the battery. A person's explicit wake-up (REST, legacy route,
/// dashboard) is not held back here; it still counts as the car's last wake-up, and <see cref="PsaWakeUpLimiter"/>
/// bounds everyone.
/// </summary>
internal sealed class PsaWakeUpPolicy(IOptionsMonitor<PsaOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> lastWakeUp = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Throws wake_up_limit when <paramref name="intent"/> may not wake the car now; otherwise counts the wake-up.</summary>
    public void Admit(string vin, VehicleStatus? lastKnown, CallIntent intent)
    {
        var now = time.GetUtcNow();
        var spacing = TimeSpan.FromMinutes(options.CurrentValue.WakeUpMinIntervalMinutes);
        if (!intent.ByPerson)
        {
            if (lastKnown is { PlugState: PlugState.Unplugged } && (lastKnown.UpdatedAt is not { } reported || now - reported >= spacing))
            {
                throw new GatewayException(ErrorCodes.WakeUpLimit, 409,
                    $"The car {vin} is asleep and unplugged; only a wake-up a person asks for wakes it.");
            }

            if (lastWakeUp.TryGetValue(vin, out var last) && now - last < spacing)
            {
                throw new GatewayException(ErrorCodes.WakeUpLimit, 429,
                    $"The car {vin} was woken less than {spacing.TotalMinutes:0} minutes ago; wait before waking it again.", last + spacing - now);
            }
        }

        lastWakeUp[vin] = now;
    }
}
