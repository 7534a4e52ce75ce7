using Refit;

namespace EvGateway.Manufacturers.Renault;

/// <summary>
/// Gigya, Renault's identity provider: form-encoded POSTs that answer HTTP 200 even on failure, with the verdict in
/// <see cref="GigyaResponse.ErrorCode"/>. HTTP shape only; <see cref="RenaultTokenProvider"/> decides what to do.
/// </summary>
internal interface IGigyaApi
{
    [Post("/accounts.login")]
    Task<GigyaLoginResponse> LoginAsync([Body(BodySerializationMethod.UrlEncoded)] GigyaLoginForm form, CancellationToken cancellationToken);

    [Post("/accounts.getAccountInfo")]
    Task<GigyaAccountInfoResponse> GetAccountInfoAsync([Body(BodySerializationMethod.UrlEncoded)] GigyaSessionForm form, CancellationToken cancellationToken);

    [Post("/accounts.getJWT")]
    Task<GigyaJwtResponse> GetJwtAsync([Body(BodySerializationMethod.UrlEncoded)] GigyaJwtForm form, CancellationToken cancellationToken);
}
