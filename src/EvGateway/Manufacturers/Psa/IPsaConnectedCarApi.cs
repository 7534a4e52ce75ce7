using Refit;

namespace EvGateway.Manufacturers.Psa;

/// <summary>Connected-car REST v4 (psa.md §2). HTTP shape only: auth and client_id come from <see cref="PsaAuthHandler"/>.</summary>
internal interface IPsaConnectedCarApi
{
    [Get("/user/vehicles")]
    Task<PsaVehicleList> GetVehiclesAsync(CancellationToken cancellationToken);

    [Get("/user/vehicles/{id}/status")]
    Task<PsaStatusDto> GetStatusAsync(string id, CancellationToken cancellationToken);
}
