/** The GAN face generator: its model factory and its trainer. */
package konomi.gen.gan;
