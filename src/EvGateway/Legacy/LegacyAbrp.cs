using EvGateway.HomeAutomation.Abrp;
using EvGateway.Vehicles;

namespace EvGateway.Legacy;

/// <summary>psa_car_controller's <c>/abrp?vin=&amp;enable=&amp;token=</c>: the ABRP opt-ins and the owner's token.</summary>
public static class LegacyAbrp
{
    /// <summary>
    /// Sets what is given (<c>enable=1</c> or <c>0</c> with a <c>vin</c>; <c>token</c>) and answers the old bridge's
    /// <c>{"abrp_enable_vin": [...], "token": ...}</c> — with the token masked to its last four characters, because
    /// this answer reaches any page on the LAN and the token lets anyone write the car's data in ABRP.
    /// </summary>
    public static async Task<IResult> Abrp(string? vin, string? enable, string? token, VehicleDirectory directory, AbrpSettings settings,
        CancellationToken cancellationToken)
    {
        if (token is not null)
        {
            if (token.Any(char.IsWhiteSpace) || token.Length > 200)
            {
                return LegacyJson.Error(400, "token must be the user token ABRP shows for the car (no spaces)");
            }

            await settings.SetOwnerTokenAsync(token, cancellationToken);
        }

        if (vin is not null && enable is not null)
        {
            if (enable is not ("0" or "1"))
            {
                return LegacyJson.Error(400, "enable must be 1 or 0");
            }

            var entry = await directory.FindAsync(vin, cancellationToken);
            await settings.SetCarAsync(entry.Vehicle.Vin, enable == "1", null, cancellationToken);
        }

        return TypedResults.Json(new Dictionary<string, object?>
        {
            ["abrp_enable_vin"] = settings.EnabledCars(),
            ["token"] = Masked(settings.OwnerToken),
        }, LegacyJson.Options);
    }

    public static bool Sets(HttpRequest request) => request.Query.ContainsKey("token") || request.Query.ContainsKey("enable");

    private static string? Masked(string? token) => token is null ? null : token.Length <= 4 ? "****" : $"****{token[^4..]}";
}
