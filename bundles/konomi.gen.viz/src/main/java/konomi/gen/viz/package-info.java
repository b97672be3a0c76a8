/** viz:input: what an installed classifier finds most like a class. */
package konomi.gen.viz;
