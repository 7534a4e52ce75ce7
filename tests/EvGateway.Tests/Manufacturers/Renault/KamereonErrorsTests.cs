using System.Net;
using EvGateway.Manufacturers.Renault;
using EvGateway.Vehicles;

namespace EvGateway.Tests.Manufacturers.Renault;

public class KamereonErrorsTests
{
    private const string Vin = "VF1AAAAA555777999";

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "forbidden.json", ErrorCodes.CapabilityNotSupported)]
    [InlineData(HttpStatusCode.NotFound, "resource_not_found.json", ErrorCodes.CapabilityNotSupported)]
    [InlineData(HttpStatusCode.NotImplemented, "not_supported.json", ErrorCodes.CapabilityNotSupported)]
    [InlineData(HttpStatusCode.Forbidden, "hvac-status.403.403011.json", ErrorCodes.PrivacyMode)]
    [InlineData(HttpStatusCode.Forbidden, "privacy_on.json", ErrorCodes.PrivacyMode)]
    [InlineData(HttpStatusCode.Conflict, "charge_mode_inprogress.json", ErrorCodes.Conflict)]
    [InlineData(HttpStatusCode.BadRequest, "invalid_date.json", ErrorCodes.ValidationFailed)]
    [InlineData(HttpStatusCode.BadGateway, "bad_gateway.html", ErrorCodes.UpstreamUnavailable)]
    public async Task Kamereon_error_bodies_become_gateway_errors_with_stable_codes(HttpStatusCode status, string payload, string expectedCode)
    {
        var error = KamereonErrors.Translate(await RenaultPayloads.AsApiException(status, payload), Vin, "battery status");

        Assert.Equal(expectedCode, error.Code);
    }

    [Fact]
    public async Task A_bad_request_says_what_kamereon_objected_to()
    {
        var error = KamereonErrors.Translate(await RenaultPayloads.AsApiException(HttpStatusCode.BadRequest, "invalid_date.json"), Vin, "climate start");

        Assert.Contains("must be a future date", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_quota_answer_is_recognised_even_without_status_429()
    {
        Assert.True(KamereonErrors.IsQuotaExhausted(await RenaultPayloads.AsApiException(HttpStatusCode.TooManyRequests, "quota_limit.json")));
        Assert.True(KamereonErrors.IsQuotaExhausted(await RenaultPayloads.AsApiException(HttpStatusCode.Forbidden, "quota_limit.json")));
        Assert.False(KamereonErrors.IsQuotaExhausted(await RenaultPayloads.AsApiException(HttpStatusCode.Forbidden, "forbidden.json")));
    }

    [Fact]
    public void A_jwt_without_a_readable_expiry_has_none() =>
        Assert.Null(RenaultTokenProvider.JwtExpiry("sample-jwt-token"));

    [Fact]
    public void A_jwt_expiry_is_read_from_its_payload()
    {
        var payload = Convert.ToBase64String("{\"exp\":1795000000,\"sub\":\"x\"}"u8.ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795000000), RenaultTokenProvider.JwtExpiry($"eyJhbGciOiJIUzI1NiJ9.{payload}.sig"));
    }
}
