using System.Buffers;

namespace EvGateway.Vehicles;

/// <summary>Vehicle identification numbers: 17 characters, digits and capital letters except I, O and Q (ISO 3779).</summary>
public static class Vin
{
    private static readonly SearchValues<char> Allowed = SearchValues.Create("0123456789ABCDEFGHJKLMNPRSTUVWXYZ");

    public static bool IsValid(string? vin) => vin is { Length: 17 } && !vin.AsSpan().ContainsAnyExcept(Allowed);

    public const string Rule = "A VIN is 17 characters: digits and capital letters except I, O and Q.";
}
