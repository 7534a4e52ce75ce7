using System.Globalization;
using EvGateway.Vehicles;

namespace EvGateway.HomeAutomation;

/// <summary>The command topics <c>&lt;prefix&gt;/&lt;vin&gt;/set/&lt;command&gt;</c> and what each payload asks of the car.</summary>
public static class MqttCommands
{
    public const string Charge = "charge";
    public const string Climate = "climate";
    public const string WakeUp = "wake_up";
    public const string Horn = "horn";
    public const string Lights = "lights";
    public const string ChargeLimit = "charge_limit";
    public const string On = "ON";
    public const string Off = "OFF";

    private static readonly string[] Known = [Charge, Climate, WakeUp, Horn, Lights, ChargeLimit];

    /// <summary>The command a payload on a set topic asks for; a payload that asks for nothing clear is validation_failed.</summary>
    public static VehicleCommand Parse(string command, string payload)
    {
        var value = payload.Trim();
        return command switch
        {
            Charge => new VehicleCommand(OnOff(command, value) ? VehicleCommandKind.ChargeStart : VehicleCommandKind.ChargeStop),
            Climate => new VehicleCommand(OnOff(command, value) ? VehicleCommandKind.ClimateStart : VehicleCommandKind.ClimateStop),
            WakeUp => new VehicleCommand(VehicleCommandKind.WakeUp),
            Horn => new VehicleCommand(VehicleCommandKind.Horn) { Count = OptionalCount(command, value) },
            Lights => new VehicleCommand(VehicleCommandKind.Lights) { Count = OptionalCount(command, value) },
            _ => throw GatewayException.Validation($"Unknown command topic 'set/{Shorten(command)}'; use one of {string.Join(", ", Known)}."),
        };
    }

    /// <summary>The percentage a charge_limit payload asks for: a whole number from 1 to 100 (Home Assistant may send "80.0").</summary>
    public static int ParseChargeLimit(string payload)
    {
        var value = payload.Trim();
        return decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent)
               && percent == decimal.Truncate(percent) && percent is >= 1 and <= 100
            ? (int)percent
            : throw GatewayException.Validation($"set/{ChargeLimit} takes a whole percentage from 1 to 100 (100 = no limit), got '{Shorten(value)}'.");
    }

    private static bool OnOff(string command, string value) =>
        value.Equals(On, StringComparison.OrdinalIgnoreCase) ? true
        : value.Equals(Off, StringComparison.OrdinalIgnoreCase) ? false
        : throw GatewayException.Validation($"set/{command} takes {On} or {Off}, got '{Shorten(value)}'.");

    // A button sends PRESS (or nothing); a script may send how many horn blasts or seconds of lights it wants.
    private static int? OptionalCount(string command, string value)
    {
        if (value.Length == 0 || value.Equals(HomeAssistantDiscovery.Press, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= 60
            ? count
            : throw GatewayException.Validation($"set/{command} takes {HomeAssistantDiscovery.Press} or a count from 1 to 60, got '{Shorten(value)}'.");
    }

    /// <summary>Keeps what a stranger sent short in logs and answers.</summary>
    public static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
