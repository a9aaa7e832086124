package io.edgepush.protocol.rtmp;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * A throwaway self-signed test certificate for CN=localhost with subjectAltName dns:localhost only (EC P-256,
 * valid 100 years), made with: keytool -genkeypair -alias rtmp -keyalg EC -groupname secp256r1
 * -dname "CN=localhost" -ext "SAN=dns:localhost" -validity 36500 -storetype PKCS12 -storepass changeit.
 * Test use only; it protects nothing.
 */
final class TestCertificate {
    private static final String PKCS12_BASE64 = "MIID/AIBAzCCA6YGCSqGSIb3DQEHAaCCA5cEggOTMIIDjzCCASYGCSqGSIb3DQEHAaCCARcEggETMIIBDzCCAQsGCyqGSIb3DQEMCgECoIG9MIG6MGYGCSqGSIb3DQEFDTBZMDgGCSqGSIb3DQEFDDArBBSE1Hu490zZPmNdZG/LWwhLstVI2AICJxACASAwDAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEDR0vfWpZJb4eKz8E87iAioEUEl/tRwpsLsehOOQoiqi2CZCMpOSTfSYL0D3d1ir9aV4DKGpfDStrRmBYZoFLcJCcZrSlZHIKcoGhFVKm5OShxRz7gw9Q36M+ectmLyEIhKSMTwwFwYJKoZIhvcNAQkUMQoeCAByAHQAbQBwMCEGCSqGSIb3DQEJFTEUBBJUaW1lIDE3OTUyMTIzMjY4ODkwggJhBgkqhkiG9w0BBwagggJSMIICTgIBADCCAkcGCSqGSIb3DQEHATBmBgkqhkiG9w0BBQ0wWTA4BgkqhkiG9w0BBQwwKwQUuGid3cqF0K2Qxzs2i+tnRy/3CpICAicQAgEgMAwGCCqGSIb3DQIJBQAwHQYJYIZIAWUDBAEqBBBMHt5uzIb9uXVd2Y5X3oOCgIIB0DhkTuik6ge2o+oYqWCxCcDxBjOCEXjTx/HyN+glhmH7Nxe6YyPN3d8nBX7hm2MyFKl0HFGOsbIYygpNFx+DW2x/jOhK2ncn6w+OVyXyCWGfBTNLV/H0Qye99gwTiPMyqUsybfkhOcIHbHg5HTx9ExqbD/d2M9bybwOZrxKp3oIPpzF9YDYPLt3rZUNRQ3w+Eex8WHfXUF+JoCQt8BQ0cAKkOFBpTe1ukMhZbRjWImUF3axPV3gtj66D2Vt3sb5cI/kDZtHTIVefYmMFIvh7vVUPgtTauw2yoX7/BFO/Icg0stQQmBjeH88wj7+ryyfRZxgdHf3H9f78YvIMSM7M0M66nsWJhUBoB4MbW/D4pILYSptOzM3EVDPizL13mk3cl/hdz2yeM70kTQofsXy3G7DyLewqnQiXTU1H84n9RuIz3RVqRxlEN7e+7cwhCWnuV+SfnXVUUrmYxbuEJ4TUQmkKMER/vzNJs5LGoJlhrLqPZr5ZPwJD81/u/VYN+RD5TUPvprghxntD8ne7K5+hizn4xbehblQaxIqO8Zft90js3+j2YAxerinUXm8OQnjmPbG7sJeBkiOBxgXNqrLfWYIANZ22hV/tEHySqNXXUpAUME0wMTANBglghkgBZQMEAgEFAAQgOw7h+slxAdtyJ/XVh74uLqvl+KCiXGinzpnOQ5jYsGQEFKc6OqNoJAZrn1xT5OpGd1iCUYqwAgInEA==";
    private static final char[] PASSWORD = "changeit".toCharArray();

    private TestCertificate() {
    }

    private static KeyStore keyStore() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new ByteArrayInputStream(Base64.getDecoder().decode(PKCS12_BASE64)), PASSWORD);
        return store;
    }

    static X509Certificate certificate() throws Exception {
        return (X509Certificate) keyStore().getCertificate("rtmp");
    }

    /** Server context presenting the localhost certificate. */
    static SslContext serverContext() throws Exception {
        KeyStore store = keyStore();
        return SslContextBuilder.forServer((PrivateKey) store.getKey("rtmp", PASSWORD), certificate()).build();
    }

    /** Client context trusting only the localhost certificate. */
    static SslContext clientContextTrustingIt() throws Exception {
        return SslContextBuilder.forClient().trustManager(certificate()).build();
    }
}
