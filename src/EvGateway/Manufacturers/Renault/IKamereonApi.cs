using System.Text.Json.Nodes;
using Refit;

namespace EvGateway.Manufacturers.Renault;

/// <summary>
/// Kamereon, Renault's car API (renault.md §2). HTTP shape only: <see cref="KamereonAuthHandler"/> adds the keys,
/// <see cref="KamereonCalls"/> turns failures into gateway errors. Every call carries the account's country.
/// </summary>
internal interface IKamereonApi
{
    [Get("/commerce/v1/persons/{personId}")]
    Task<KamereonPerson> GetPersonAsync(string personId, string country, CancellationToken cancellationToken);

    [Get("/commerce/v1/accounts/{accountId}/vehicles")]
    Task<KamereonVehicles> GetVehiclesAsync(string accountId, string country, CancellationToken cancellationToken);

    [Get("/commerce/v1/accounts/{accountId}/kamereon/kca/car-adapter/v2/cars/{vin}/battery-status")]
    Task<KamereonEnvelope<BatteryStatusAttributes>> GetBatteryStatusAsync(string accountId, string vin, string country, CancellationToken cancellationToken);

    /// <summary>Odometer; the version segment (v1 or v2) depends on the model (<see cref="RenaultModel.CockpitVersion"/>).</summary>
    [Get("/commerce/v1/accounts/{accountId}/kamereon/kca/car-adapter/{version}/cars/{vin}/cockpit")]
    Task<KamereonEnvelope<CockpitAttributes>> GetCockpitAsync(string accountId, string version, string vin, string country, CancellationToken cancellationToken);

    [Get("/commerce/v1/accounts/{accountId}/kamereon/kca/car-adapter/v1/cars/{vin}/location")]
    Task<KamereonEnvelope<LocationAttributes>> GetLocationAsync(string accountId, string vin, string country, CancellationToken cancellationToken);

    [Get("/commerce/v1/accounts/{accountId}/kamereon/kca/car-adapter/v1/cars/{vin}/hvac-status")]
    Task<KamereonEnvelope<HvacStatusAttributes>> GetHvacStatusAsync(string accountId, string vin, string country, CancellationToken cancellationToken);

    /// <summary>Start (action start) or stop (action stop) charging, on cars that take the car-adapter route.</summary>
    [Post("/commerce/v1/accounts/{accountId}/kamereon/kca/car-adapter/v1/cars/{vin}/actions/charging-start")]
    Task<KamereonEnvelope<ActionEcho>> ChargingStartAsync(string accountId, string vin, string country,
        [Body] KamereonAction<ActionAttributes> action, CancellationToken cancellationToken);

    /// <summary>Resume (start) or pause (stop) charging on KCM cars such as the Zoe ZE50 and the Spring.</summary>
    [Post("/commerce/v1/accounts/{accountId}/kamereon/kcm/v1/vehicles/{vin}/charge/pause-resume")]
    Task<KamereonEnvelope<ActionEcho>> ChargePauseResumeAsync(string accountId, string vin, string country,
        [Body] KamereonAction<ActionAttributes> action, CancellationToken cancellationToken);

    /// <summary>Start charging on KCM cars that have no stop (Megane E-Tech).</summary>
    [Post("/commerce/v1/accounts/{accountId}/kamereon/kcm/v1/vehicles/{vin}/charge/start")]
    Task<KamereonEnvelope<ActionEcho>> KcmChargeStartAsync(string accountId, string vin, string country,
        [Body] KamereonAction<ActionAttributes> action, CancellationToken cancellationToken);

    [Post("/commerce/v1/accounts/{accountId}/kamereon/kca/car-adapter/v1/cars/{vin}/actions/hvac-start")]
    Task<KamereonEnvelope<ActionEcho>> HvacStartAsync(string accountId, string vin, string country,
        [Body] KamereonAction<HvacStartAttributes> action, CancellationToken cancellationToken);

    [Post("/commerce/v1/accounts/{accountId}/kamereon/kca/car-adapter/v1/cars/{vin}/actions/horn-lights")]
    Task<KamereonEnvelope<ActionEcho>> HornLightsAsync(string accountId, string vin, string country,
        [Body] KamereonAction<HornLightsAttributes> action, CancellationToken cancellationToken);

    /// <summary>The charges the car reported that started on the days start to end (<c>yyyyMMdd</c>, both included).</summary>
    [Get("/commerce/v1/accounts/{accountId}/kamereon/kca/car-adapter/v1/cars/{vin}/charges")]
    Task<KamereonEnvelope<ChargesAttributes>> GetChargesAsync(string accountId, string vin, string country, string start, string end,
        CancellationToken cancellationToken);

    [Get("/commerce/v1/accounts/{accountId}/kamereon/kca/car-adapter/v1/cars/{vin}/charging-settings")]
    Task<KamereonEnvelope<ChargingSettingsAttributes>> GetChargingSettingsAsync(string accountId, string vin, string country,
        CancellationToken cancellationToken);

    /// <summary>Writes the schedules on car-adapter cars; the version segment (v1 or v2) depends on the model.</summary>
    [Post("/commerce/v1/accounts/{accountId}/kamereon/kca/car-adapter/{version}/cars/{vin}/actions/charge-schedule")]
    Task<KamereonEnvelope<ActionEcho>> SetChargeScheduleAsync(string accountId, string version, string vin, string country,
        [Body] KamereonAction<ChargeScheduleAttributes> action, CancellationToken cancellationToken);

    /// <summary>Writes the schedules on KCM cars such as the Megane E-Tech.</summary>
    [Post("/commerce/v1/accounts/{accountId}/kamereon/kcm/v1/vehicles/{vin}/charge/schedule")]
    Task<KamereonEnvelope<ActionEcho>> SetKcmChargeScheduleAsync(string accountId, string vin, string country,
        [Body] KamereonAction<ChargeScheduleAttributes> action, CancellationToken cancellationToken);

    /// <summary>always_charging or schedule_mode.</summary>
    [Post("/commerce/v1/accounts/{accountId}/kamereon/kca/car-adapter/v1/cars/{vin}/actions/charge-mode")]
    Task<KamereonEnvelope<ActionEcho>> SetChargeModeAsync(string accountId, string vin, string country,
        [Body] KamereonAction<ActionAttributes> action, CancellationToken cancellationToken);

    /// <summary>KCM charge settings of the Renault 5 family and the Master, in plain JSON (see <see cref="EvSettingsClient"/>).</summary>
    [Get("/commerce/v1/accounts/{accountId}/kamereon/kcm/v1/vehicles/{vin}/ev/settings")]
    Task<JsonObject> GetEvSettingsAsync(string accountId, string vin, string country, CancellationToken cancellationToken);

    [Post("/commerce/v1/accounts/{accountId}/kamereon/kcm/v1/vehicles/{vin}/ev/settings")]
    Task<JsonObject> SetEvSettingsAsync(string accountId, string vin, string country, [Body] JsonObject settings,
        CancellationToken cancellationToken);

    /// <summary>The car's own charge limits on KCM cars (Megane E-Tech, Renault 5 family), plain JSON.</summary>
    [Get("/commerce/v1/accounts/{accountId}/kamereon/kcm/v1/vehicles/{vin}/ev/soc-levels")]
    Task<SocLevels> GetSocLevelsAsync(string accountId, string vin, string country, CancellationToken cancellationToken);

    [Post("/commerce/v1/accounts/{accountId}/kamereon/kcm/v1/vehicles/{vin}/ev/soc-levels")]
    Task<JsonObject> SetSocLevelsAsync(string accountId, string vin, string country, [Body] SocLevels levels,
        CancellationToken cancellationToken);
}
