using Refit;

namespace EvGateway.Manufacturers.Renault;

/// <summary>
/// Gigya, Renault's identity provider: form-encoded POSTs that answer HTTP 200 even on failure, with the verdict in
/// <see cref="GigyaResponse.ErrorCode"/>. HTTP shape only; <see cref="RenaultLoginFlow"/> and
/// <see cref="RenaultTokenProvider"/> decide what to do. <c>cookies</c> carries the device of
/// <see cref="BootstrapAsync"/> (null until there is one): a device that passed the e-mailed code is not asked again.
/// </summary>
internal interface IGigyaApi
{
    [Post("/accounts.login")]
    Task<GigyaLoginResponse> LoginAsync([Body(BodySerializationMethod.UrlEncoded)] GigyaLoginForm form,
        [Header("Cookie")] string? cookies, CancellationToken cancellationToken);

    [Post("/accounts.getAccountInfo")]
    Task<GigyaAccountInfoResponse> GetAccountInfoAsync([Body(BodySerializationMethod.UrlEncoded)] GigyaSessionForm form,
        [Header("Cookie")] string? cookies, CancellationToken cancellationToken);

    [Post("/accounts.getJWT")]
    Task<GigyaJwtResponse> GetJwtAsync([Body(BodySerializationMethod.UrlEncoded)] GigyaJwtForm form,
        [Header("Cookie")] string? cookies, CancellationToken cancellationToken);

    /// <summary>Hands out the <c>gmid</c> and <c>ucid</c> cookies (Set-Cookie), hence the raw response.</summary>
    [Post("/accounts.webSdkBootstrap")]
    Task<IApiResponse<GigyaResponse>> BootstrapAsync([Body(BodySerializationMethod.UrlEncoded)] GigyaTwoFactorForm form,
        CancellationToken cancellationToken);

    [Post("/accounts.tfa.initTFA")]
    Task<GigyaInitTfaResponse> InitTfaAsync([Body(BodySerializationMethod.UrlEncoded)] GigyaInitTfaForm form,
        [Header("Cookie")] string cookies, CancellationToken cancellationToken);

    [Post("/accounts.tfa.email.getEmails")]
    Task<GigyaTfaEmailsResponse> GetTfaEmailsAsync([Body(BodySerializationMethod.UrlEncoded)] GigyaAssertionForm form,
        [Header("Cookie")] string cookies, CancellationToken cancellationToken);

    [Post("/accounts.tfa.email.sendVerificationCode")]
    Task<GigyaSendCodeResponse> SendVerificationCodeAsync([Body(BodySerializationMethod.UrlEncoded)] GigyaSendCodeForm form,
        [Header("Cookie")] string cookies, CancellationToken cancellationToken);

    [Post("/accounts.tfa.email.completeVerification")]
    Task<GigyaCompleteVerificationResponse> CompleteVerificationAsync(
        [Body(BodySerializationMethod.UrlEncoded)] GigyaCompleteVerificationForm form, [Header("Cookie")] string cookies,
        CancellationToken cancellationToken);

    [Post("/accounts.tfa.finalizeTFA")]
    Task<GigyaResponse> FinalizeTfaAsync([Body(BodySerializationMethod.UrlEncoded)] GigyaFinalizeTfaForm form,
        [Header("Cookie")] string cookies, CancellationToken cancellationToken);
}
