/** The conditional adversarial autoencoder: redraws a face as another label. */
package konomi.gen.cae;
