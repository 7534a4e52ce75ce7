using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EvGateway.Manufacturers.Psa.Pairing;

namespace EvGateway.Tests.Manufacturers.Psa.Pairing;

public sealed class InWeboCryptoTests
{
    private static readonly JsonNode Derived = InWeboVectors.Activation["derived"]!;
    private static readonly JsonNode Inputs = InWeboVectors.Activation["inputs"]!;
    private static readonly byte[] Kma = Convert.FromHexString(Derived.Text("kma_hex"));

    public static TheoryData<int> OtpVectors => [.. Enumerable.Range(0, InWeboVectors.Derivation.Items("otp_vectors").Count())];

    public static TheoryData<int> Base36Vectors => [.. Enumerable.Range(0, InWeboVectors.Derivation.Items("base36").Count())];

    public static TheoryData<int> KmaVectors => [.. Enumerable.Range(0, InWeboVectors.Derivation.Items("kma").Count())];

    /// <summary>Every OTP round of otps.json and otp-next-from-otp-bin.json, as (file, OTP index, round index).</summary>
    public static TheoryData<string, int, int> OtpRounds
    {
        get
        {
            var rounds = new TheoryData<string, int, int>();
            foreach (var (otp, index) in InWeboVectors.Otps.Items("otps").Select((o, i) => (o, i)))
            {
                foreach (var round in Enumerable.Range(0, otp.Items("rounds").Count()))
                {
                    rounds.Add("otps.json", index, round);
                }
            }

            rounds.Add("otp-next-from-otp-bin.json", 0, 0);
            return rounds;
        }
    }

    [Theory]
    [MemberData(nameof(OtpVectors))]
    public void Each_derivation_vector_gives_its_number_and_its_one_time_password(int index)
    {
        var vector = InWeboVectors.Derivation.Items("otp_vectors").ElementAt(index);

        var number = InWeboCrypto.OtpNumber(vector.Text("K1_hex"), vector.Text("defi"), vector.Text("iwsecval_hex"));
        var otp = InWeboCrypto.Otp(vector.Text("K1_hex"), vector.Text("defi"), vector.Text("iwsecval_hex"));

        Assert.Equal(vector["nb"]!.GetValue<long>(), number);
        Assert.Equal(vector.Text("otp"), otp);
        var digits = vector.Items("base36_digit_values_least_significant_first").Select(d => d.GetValue<int>());
        Assert.Equal(string.Concat(digits.Select(d => "abcdefghijklmnopqrstuvwxyz0123456789"[d])), otp);
    }

    [Theory]
    [MemberData(nameof(Base36Vectors))]
    public void Base36_writes_the_least_significant_digit_first_with_a_for_zero(int index)
    {
        var vector = InWeboVectors.Derivation.Items("base36").ElementAt(index);

        Assert.Equal(vector.Text("psacc_number_to_base36"), InWeboCrypto.ToBase36(vector["n"]!.GetValue<long>()));
    }

    [Theory]
    [MemberData(nameof(KmaVectors))]
    public void Kma_is_the_first_16_bytes_of_the_hash_of_pin_and_serial(int index)
    {
        var vector = InWeboVectors.Derivation.Items("kma").ElementAt(index);

        Assert.Equal(vector.Text("kma_hex"), Convert.ToHexStringLower(InWeboCrypto.Kma(vector.Text("pin"), vector.Text("serial"))));
    }

    [Fact]
    public void The_wrapped_encryption_key_unwraps_block_by_block_into_the_vector_modulus()
    {
        var kfact = InWeboCrypto.ParseModulus(Derived.Text("Kfact_modulus_hex"));
        var wrapped = Convert.FromHexString(ActivationAnswerField(0, "Kiw"));
        var blocks = wrapped.Chunk(128).Select(b => InWeboCrypto.UnwrapToHex(Convert.ToHexString(b), kfact));

        Assert.Equal(Derived["Kiw_blob_bytes"]!.GetValue<int>(), wrapped.Length);
        Assert.Equal(Derived.Items("Kiw_decoded_per_block_hex").Select(b => b.GetValue<string>()), blocks);
        Assert.Equal(Derived.Text("Kiw_decoded_modulus_hex"), InWeboCrypto.UnwrapToHex(ActivationAnswerField(0, "Kiw"), kfact));
        Assert.Equal(Keys("kiw").Text("n"), Derived.Text("Kiw_decoded_modulus_hex"));
    }

    [Fact]
    public void The_wrapped_ms_key_unwraps_into_the_vector_modulus()
    {
        var kfact = InWeboCrypto.ParseModulus(Derived.Text("Kfact_modulus_hex"));

        var msKey = InWeboCrypto.UnwrapToHex(ActivationAnswerField(1, "ms_key"), kfact);

        Assert.Equal(Derived.Text("ms_key_decoded_modulus_hex"), msKey);
        Assert.Equal(Keys("kms").Text("n"), msKey);
    }

    [Fact]
    public void A_block_that_is_not_oaep_under_the_factory_key_is_refused()
    {
        var kfact = InWeboCrypto.ParseModulus(Derived.Text("Kfact_modulus_hex"));
        var damaged = Convert.FromHexString(ActivationAnswerField(0, "Kiw"));
        damaged[5] ^= 0x40;

        Assert.Throws<CryptographicException>(() => InWeboCrypto.UnwrapToHex(Convert.ToHexString(damaged), kfact));
        Assert.Throws<CryptographicException>(() => InWeboCrypto.UnwrapToHex(ActivationAnswerField(0, "Kiw")[..200], kfact));
    }

    [Fact]
    public void Kma_of_the_activation_is_derived_from_the_pin_and_serial()
    {
        Assert.Equal(Derived.Text("kma_input"), $"{Inputs.Text("pin")};{Derived.Text("serial")}");
        Assert.Equal(Derived.Text("kma_hex"), Convert.ToHexStringLower(InWeboCrypto.Kma(Inputs.Text("pin"), Derived.Text("serial"))));
    }

    [Fact]
    public void Oaep_with_the_vector_seeds_reproduces_the_ciphertexts_the_client_sent()
    {
        var kiw = InWeboCrypto.ParseModulus(Derived.Text("Kiw_decoded_modulus_hex"));
        var kms = InWeboCrypto.ParseModulus(Derived.Text("ms_key_decoded_modulus_hex"));
        var seeds = Inputs["client_random"]!["oaep_seeds_hex"]!;
        var secret = Convert.FromHexString(Inputs["client_random"]!.Text("ms_secret_16_bytes_hex"));

        Assert.Equal(ActivationParameter(1, "Kma"), InWeboCrypto.Encrypt(kiw, Kma, Convert.FromHexString(seeds.Text("Kma"))));
        Assert.Equal(ActivationParameter(1, "pin"),
            InWeboCrypto.Encrypt(kiw, Encoding.UTF8.GetBytes(Inputs.Text("pin")), Convert.FromHexString(seeds.Text("pin"))));
        Assert.Equal(ActivationParameter(2, "ms_val0"), InWeboCrypto.Encrypt(kms, secret, Convert.FromHexString(seeds.Text("ms_val0"))));
    }

    [Fact]
    public void What_the_client_encrypts_is_standard_oaep_that_the_private_key_opens()
    {
        using var kiw = PrivateKey(Keys("kiw"));
        var modulus = InWeboCrypto.ParseModulus(Keys("kiw").Text("n"));

        var cipher = InWeboCrypto.Encrypt(modulus, Kma, RandomNumberGenerator.GetBytes(InWeboCrypto.OaepSeedLength));

        Assert.Equal(256, cipher.Length);
        Assert.Equal(Kma, kiw.Decrypt(Convert.FromHexString(cipher), RSAEncryptionPadding.OaepSHA256));
        Assert.Equal(Encoding.UTF8.GetBytes(Inputs.Text("pin")),
            kiw.Decrypt(Convert.FromHexString(ActivationParameter(1, "pin")), RSAEncryptionPadding.OaepSHA256));
    }

    [Fact]
    public void K0_and_K1_of_the_activation_decrypt_under_kma()
    {
        Assert.Equal(Derived.Text("K0_hex"), InWeboCrypto.AesDecryptHexToHex(Kma, Derived.Text("K0_encrypted_hex")));
        Assert.Equal(Derived.Text("K1_hex_after_activation"), InWeboCrypto.AesDecryptHexToHex(Kma, Derived.Text("K1_encrypted_hex")));
        Assert.Equal(Derived.Text("K0_encrypted_hex"), ActivationAnswerField(1, "K0"));
        Assert.Equal(Derived.Text("K1_encrypted_hex"), ActivationAnswerField(1, "K1"));
    }

    [Fact]
    public void The_ms_secret_under_kma_is_the_vector_iwsecval()
    {
        var secret = Convert.FromHexString(Inputs["client_random"]!.Text("ms_secret_16_bytes_hex"));

        Assert.Equal(Derived.Text("iwsecval_hex"), InWeboCrypto.AesEncryptToHex(Kma, secret));
    }

    [Fact]
    public void The_activation_and_ms_proofs_hash_their_vector_preimages()
    {
        var serial = Derived.Text("serial");
        var activation = Derived["activation_R"]!;
        var ms = Derived["ms_R"]!;
        var (challenge, k0, k1) = (Derived.Text("ms_challenge"), Derived.Text("K0_hex"), Derived.Text("K1_hex_after_activation"));

        Assert.Equal(activation.Text("R0"), InWeboCrypto.Proof("", "", serial));
        Assert.Equal(activation.Text("R1"), InWeboCrypto.Proof("", "", ""));
        Assert.Equal(activation.Text("R2"), InWeboCrypto.Proof("", "", ""));
        Assert.Equal(ms.Text("R0"), InWeboCrypto.Proof(challenge, k0, serial));
        Assert.Equal(ms.Text("R1"), InWeboCrypto.Proof(challenge, k0, k1));
        Assert.Equal(ms.Text("R2"), InWeboCrypto.Proof(challenge, k0, Inputs.Text("pin")));
        Assert.Equal(ms.Text("R2_input"), $"{challenge};{k0};{Inputs.Text("pin")}");
    }

    [Theory]
    [MemberData(nameof(OtpRounds))]
    public void Each_otp_round_proves_the_challenge_and_rotates_k1(string file, int otpIndex, int roundIndex)
    {
        var otp = file == "otps.json" ? InWeboVectors.Otps.Items("otps").ElementAt(otpIndex) : InWeboVectors.NextFromOtpBin;
        var state = otp["state_before"]!;
        var round = otp.Items("rounds").ElementAt(roundIndex);
        var (challenge, k0, k1) = (round.Text("challenge"), state.Text("K0_hex"), round.Text("K1_used_in_R1"));

        Assert.Equal(round["R"]!.Text("R0"), InWeboCrypto.Proof(challenge, k0, state.Text("serial")));
        Assert.Equal(round["R"]!.Text("R1"), InWeboCrypto.Proof(challenge, k0, k1));
        Assert.Equal(round["R"]!.Text("R2"), InWeboCrypto.Proof(challenge, k0, state.Text("pin")));
        if (round["dK1"] is { } dK1)
        {
            Assert.Equal(round.Text("K1_after"), InWeboCrypto.RotateK1(k1, dK1.GetValue<string>()));
        }
    }

    [Theory]
    [InlineData("otps.json", 0)]
    [InlineData("otps.json", 1)]
    [InlineData("otps.json", 2)]
    [InlineData("otp-next-from-otp-bin.json", 0)]
    public void Each_transcript_derives_its_one_time_password_from_the_last_defi(string file, int otpIndex)
    {
        var otp = file == "otps.json" ? InWeboVectors.Otps.Items("otps").ElementAt(otpIndex) : InWeboVectors.NextFromOtpBin;
        var derivation = otp["otp_derivation"]!;
        var parts = derivation.Text("password_input").Split(':');

        Assert.Equal(otp.Text("K1_after"), parts[0]);
        Assert.Equal(otp.Items("rounds").Last().Text("defi"), parts[1]);
        Assert.Equal(derivation["nb"]!.GetValue<long>(), InWeboCrypto.OtpNumber(parts[0], parts[1], parts[2]));
        Assert.Equal(otp.Text("otp"), InWeboCrypto.Otp(parts[0], parts[1], parts[2]));
    }

    private static JsonNode Keys(string key) => InWeboVectors.Json("keys.json")[key]!;

    private static string ActivationAnswerField(int exchange, string field)
    {
        var body = InWeboVectors.Activation.Items("exchanges").ElementAt(exchange)["response"]!.Text("body");
        var start = body.IndexOf($"<{field}>", StringComparison.Ordinal) + field.Length + 2;
        return body[start..body.IndexOf($"</{field}>", StringComparison.Ordinal)];
    }

    private static string ActivationParameter(int exchange, string name) =>
        InWeboVectors.Activation.Items("exchanges").ElementAt(exchange)["request"]!.Items("params")
            .Single(p => p[0]!.GetValue<string>() == name)[1]!.GetValue<string>();

    private static RSA PrivateKey(JsonNode key)
    {
        BigInteger Number(string name) => new(Convert.FromHexString(key.Text(name).PadLeft((key.Text(name).Length + 1) / 2 * 2, '0')),
            isUnsigned: true, isBigEndian: true);
        byte[] Bytes(BigInteger value, int length)
        {
            var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
            return [.. new byte[length - bytes.Length], .. bytes];
        }

        var (n, d, p, q) = (Number("n"), Number("d"), Number("p"), Number("q"));
        var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters
        {
            Modulus = Bytes(n, 128),
            Exponent = [0x11],
            D = Bytes(d, 128),
            P = Bytes(p, 64),
            Q = Bytes(q, 64),
            DP = Bytes(d % (p - 1), 64),
            DQ = Bytes(d % (q - 1), 64),
            InverseQ = Bytes(BigInteger.ModPow(q, p - 2, p), 64),
        });
        return rsa;
    }
}
